// gen_idm: the iDM signal decays, one event per item. Twin of kernels/gen_idm/ref.ts (see there for
// the physics and the draw order); building blocks from kernels/lib/genkin.wgsl.

fn bg_trans(q: vec4<f32>, m: f32) -> f32 { return xdiv(xsqrt(fm(q.y, q.y) + fm(q.z, q.z)), m); }

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let l = item_index(gid, nwg);
  if (l >= P.item_count) { return; }
  rs_init(vec2<u32>(P.key0, P.key1), P.item_offset + l, 0u, 0u);
  let rs = P.sqrt_s;
  let m_a = P.m_a;
  let m_h = P.m_h;
  let m2 = P.m_chi2;
  let c1 = 2.0 * rs_uniform() - 1.0;
  let cs1 = disc();
  two_body(vec4<f32>(rs, 0.0, 0.0, 0.0), rs, opaque(rs * rs), m_a, m_h, c1, cs1);
  let a = tb_a;
  let h = tb_b;
  let c2 = 2.0 * rs_uniform() - 1.0;
  let cs2 = disc();
  two_body(a, m_a, opaque(m_a * m_a), P.m_chi1, m2, c2, cs2);
  let x2 = tb_b;
  let g = P.g_cm;
  let bg = P.bg_cm;
  var bgt = P.fixed_bgt;
  if (P.fixed == 0u) { bgt = bg_trans(boost_z(h, g, bg), m_h); }
  let u = rs_uniform();
  var ct = opaque(P.ct_min * xexp(opaque(P.ln_r * u)));
  if (P.ct_mode != 0u) { ct = opaque(P.ctau * -xlog(u)); }
  let o = OUT_EV_STRIDE * l; // u32
  out_ev[o] = opaque(ct * P.ictau0);
  out_ev[o + 1u] = opaque(ct * bgt);
  out_ev[o + 2u] = max(0.0, P.m_red + opaque(P.sg_red * rs_normal()));
  out_ev[o + 3u] = bg_trans(boost_z(x2, g, bg), m2);
  out_ev[o + 4u] = ct;
  out_ev[o + 5u] = rs_uniform();
}
