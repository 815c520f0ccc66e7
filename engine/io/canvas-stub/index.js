// Stand-in for the native `canvas` package, which jsroot lists as a dependency for drawing to
// images. darkscan uses jsroot only to read ROOT files, and canvas would need a C++ build with
// cairo (or a prebuilt binary download) on every install; package.json "overrides" points here.
throw new Error('canvas is stubbed out in darkscan: jsroot is used to read ROOT files only, not to draw');
