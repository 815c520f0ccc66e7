// Static scratch slots for kernels whose per-item state does not fit in locals: workers share the
// memory, so a call claims one of `n` slots (a u32 lock each at `locks`) with an atomic
// compare-exchange for its duration, spinning while all are taken, and frees it at the end.

export function claimSlot(locks: usize, n: u32): u32 {
  while (true) {
    for (let s: u32 = 0; s < n; s++) {
      if (atomic.cmpxchg<u32>(locks + (<usize>s << 2), 0, 1) == 0) return s;
    }
  }
  return 0;
}

export function releaseSlot(locks: usize, s: u32): void {
  atomic.store<u32>(locks + (<usize>s << 2), 0);
}
