//! Trait calls: one `async fn get(&self, x: u64) -> u64` method, called statically through
//! `T: Trait` and dynamically, by every peer and by async-ext.
//!
//! "Not inlined" is the normal case across crates: the impl's method is `#[inline(never)]`
//! and so is the generic fn that calls it and polls the future (async-trait's box is then
//! really allocated). "Inlined" marks both `#[inline]`/`#[inline(always)]`, where the optimiser
//! may see through a box. The `dyn` rows call through the crate's dynamic form from an
//! `#[inline(never)]` fn, on an object built once, with the reference through `black_box` so
//! the call cannot be devirtualised.

use std::hint::black_box;

use async_ext_benches::executor::block_on;
use async_ext_benches::measure::{Group, Scenario};
use async_ext_benches::report::Target;

/// Implements every trait here with `#[inline(never)]` methods.
pub(crate) struct Adder(u64);

/// Implements every trait here with `#[inline]` methods.
pub(crate) struct Inlined(u64);

/// The work every `get` does.
#[inline(always)]
fn work(state: u64, x: u64) -> u64 {
    state.wrapping_add(x)
}

/// `n` calls of `call` on `object`, summed.
#[inline(always)]
fn call_loop<T: ?Sized>(object: &T, n: u64, call: impl Fn(&T, u64) -> u64) -> u64 {
    let mut sum = 0u64;
    for i in 0..n {
        sum = sum.wrapping_add(call(black_box(object), black_box(i)));
    }
    sum
}

/// The `run` fns of one trait: static not inlined, static inlined.
macro_rules! static_runs {
    ($module:ident => $never:ident, $inline:ident) => {
        fn $never(n: u64) -> u64 {
            call_loop(&Adder(black_box(3)), n, $module::call_never)
        }
        fn $inline(n: u64) -> u64 {
            call_loop(&Inlined(black_box(3)), n, $module::call_inline)
        }
    };
}

/// The two generic callers of one trait, by the trait's path.
macro_rules! generic_callers {
    ($trait:path) => {
        #[inline(never)]
        pub(crate) fn call_never<T: $trait>(object: &T, x: u64) -> u64 {
            block_on(object.get(x))
        }

        #[inline(always)]
        pub(crate) fn call_inline<T: $trait>(object: &T, x: u64) -> u64 {
            block_on(object.get(x))
        }
    };
}

mod native {
    #![allow(async_fn_in_trait)] // the point of this row is the plain language feature

    use super::{Adder, Inlined, block_on, work};

    pub(crate) trait Get {
        async fn get(&self, x: u64) -> u64;
    }

    impl Get for Adder {
        #[inline(never)]
        async fn get(&self, x: u64) -> u64 {
            work(self.0, x)
        }
    }

    impl Get for Inlined {
        #[inline]
        async fn get(&self, x: u64) -> u64 {
            work(self.0, x)
        }
    }

    generic_callers!(Get);
}

mod with_async_trait {
    use super::{Adder, Inlined, block_on, work};

    #[async_trait::async_trait]
    pub(crate) trait Get {
        async fn get(&self, x: u64) -> u64;
    }

    #[async_trait::async_trait]
    impl Get for Adder {
        #[inline(never)]
        async fn get(&self, x: u64) -> u64 {
            work(self.0, x)
        }
    }

    #[async_trait::async_trait]
    impl Get for Inlined {
        #[inline]
        async fn get(&self, x: u64) -> u64 {
            work(self.0, x)
        }
    }

    generic_callers!(Get);

    #[inline(never)]
    pub(crate) fn call_dyn(object: &(dyn Get + 'static), x: u64) -> u64 {
        block_on(object.get(x))
    }
}

mod with_dynosaur {
    #![allow(async_fn_in_trait)] // dynosaur's input is a plain async fn in a trait

    use super::{Adder, block_on, work};

    #[dynosaur::dynosaur(pub(crate) DynGet = dyn(box) Get)]
    pub(crate) trait Get {
        async fn get(&self, x: u64) -> u64;
    }

    impl Get for Adder {
        #[inline(never)]
        async fn get(&self, x: u64) -> u64 {
            work(self.0, x)
        }
    }

    #[inline(never)]
    pub(crate) fn call_dyn(object: &DynGet<'_>, x: u64) -> u64 {
        block_on(object.get(x))
    }
}

mod with_async_ext_boxed {
    use super::{Adder, Inlined, block_on, work};

    #[async_ext::async_trait_ext]
    pub(crate) trait Get {
        async fn get(&self, x: u64) -> u64;
    }

    #[async_ext::async_trait_ext]
    impl Get for Adder {
        #[inline(never)]
        async fn get(&self, x: u64) -> u64 {
            work(self.0, x)
        }
    }

    #[async_ext::async_trait_ext]
    impl Get for Inlined {
        #[inline]
        async fn get(&self, x: u64) -> u64 {
            work(self.0, x)
        }
    }

    generic_callers!(Get);

    #[inline(never)]
    pub(crate) fn call_dyn(object: &(dyn Get + 'static), x: u64) -> u64 {
        block_on(object.get(x))
    }
}

mod with_async_ext_native {
    use super::{Adder, Inlined, block_on, work};

    #[async_ext::async_trait_ext(native)]
    pub(crate) trait Get {
        async fn get(&self, x: u64) -> u64;
    }

    // Native mode: impls are plain `async fn`, no attribute.
    impl Get for Adder {
        #[inline(never)]
        async fn get(&self, x: u64) -> u64 {
            work(self.0, x)
        }
    }

    impl Get for Inlined {
        #[inline]
        async fn get(&self, x: u64) -> u64 {
            work(self.0, x)
        }
    }

    generic_callers!(Get);

    #[inline(never)]
    pub(crate) fn call_companion(object: &DynGet<'_>, x: u64) -> u64 {
        block_on(object.get(x))
    }
}

static_runs!(native => native_never, native_inline);
static_runs!(with_async_ext_boxed => ext_boxed_never, ext_boxed_inline);
static_runs!(with_async_ext_native => ext_native_never, ext_native_inline);
static_runs!(with_async_trait => async_trait_never, async_trait_inline);

fn async_trait_dyn(n: u64) -> u64 {
    let object: Box<dyn with_async_trait::Get> = Box::new(Adder(black_box(3)));
    call_loop(&*object, n, with_async_trait::call_dyn)
}

fn dynosaur_dyn(n: u64) -> u64 {
    let object = with_dynosaur::DynGet::new_box(Adder(black_box(3)));
    call_loop(&*object, n, |object, x| with_dynosaur::call_dyn(object, x))
}

fn ext_boxed_dyn(n: u64) -> u64 {
    let object: Box<dyn with_async_ext_boxed::Get> = Box::new(Adder(black_box(3)));
    call_loop(&*object, n, with_async_ext_boxed::call_dyn)
}

pub(crate) fn ext_native_companion_boxed(n: u64) -> u64 {
    let object = with_async_ext_native::DynGet::boxed(Adder(black_box(3)));
    call_loop(&*object, n, |object, x| {
        with_async_ext_native::call_companion(object, x)
    })
}

fn ext_native_companion_ref(n: u64) -> u64 {
    let adder = Adder(black_box(3));
    let object = with_async_ext_native::DynGet::from_ref(&adder);
    call_loop(object, n, |object, x| {
        with_async_ext_native::call_companion(object, x)
    })
}

fn scenario(id: &'static str, label: &'static str, run: fn(u64) -> u64) -> Scenario {
    Scenario {
        id,
        label,
        run,
        targets: Vec::new(),
    }
}

/// Static calls through `T: Trait`.
pub(crate) fn static_calls() -> Group {
    Group {
        title: "Trait call, static dispatch",
        unit: "call",
        peer: "trait.static.native.never",
        note: "`obj.get(x).await` through a generic `T: Trait`, polled to completion by a \
               no-op-waker executor. Not inlined: the impl's method and the generic caller are \
               `#[inline(never)]`. Inlined: both are inlined, and LLVM may remove a box \
               (see \"Allocation counts\" above).",
        scenarios: vec![
            scenario(
                "trait.static.native.never",
                "native async fn in trait, not inlined",
                native_never,
            ),
            scenario(
                "trait.static.native.inline",
                "native async fn in trait, inlined",
                native_inline,
            ),
            scenario(
                "trait.static.async_trait.never",
                "async-trait, not inlined",
                async_trait_never,
            ),
            scenario(
                "trait.static.async_trait.inline",
                "async-trait, inlined",
                async_trait_inline,
            ),
            Scenario {
                id: "trait.static.ext_native.never",
                label: "async-ext native, not inlined",
                run: ext_native_never,
                targets: vec![Target::Ratio {
                    against: "trait.static.native.never",
                    max: 1.1,
                    allocations: Some(0.0),
                    text: "0 allocations; ≤ 1.1× native async fn in trait",
                }],
            },
            scenario(
                "trait.static.ext_native.inline",
                "async-ext native, inlined",
                ext_native_inline,
            ),
            Scenario {
                id: "trait.static.ext_boxed.never",
                label: "async-ext boxed, not inlined",
                run: ext_boxed_never,
                targets: vec![Target::Report {
                    against: "trait.static.async_trait.never",
                    text: "no target: reported against async-trait",
                }],
            },
            scenario(
                "trait.static.ext_boxed.inline",
                "async-ext boxed, inlined",
                ext_boxed_inline,
            ),
        ],
    }
}

/// Calls through `dyn Trait` (or the peer's replacement for it).
pub(crate) fn dyn_calls() -> Group {
    Group {
        title: "Trait call, dynamic dispatch",
        unit: "call",
        peer: "trait.dyn.async_trait",
        note: "`obj.get(x).await` through the crate's dynamic form (`&dyn Get`, dynosaur's \
               `&DynGet`), from an `#[inline(never)]` fn; the object is built once.",
        scenarios: vec![
            scenario(
                "trait.dyn.async_trait",
                "async-trait, `&dyn Get`",
                async_trait_dyn,
            ),
            scenario("trait.dyn.dynosaur", "dynosaur, `&DynGet`", dynosaur_dyn),
            Scenario {
                id: "trait.dyn.ext_boxed",
                label: "async-ext boxed, `&dyn Get`",
                run: ext_boxed_dyn,
                targets: vec![Target::Ratio {
                    against: "trait.dyn.async_trait",
                    max: 1.0,
                    allocations: Some(1.0),
                    text: "1 allocation; ≤ 1.0× async-trait",
                }],
            },
            Scenario {
                id: "trait.dyn.ext_native.boxed",
                label: "async-ext native, companion `DynGet::boxed`",
                run: ext_native_companion_boxed,
                targets: vec![
                    Target::Ratio {
                        against: "trait.dyn.dynosaur",
                        max: 1.0,
                        allocations: None,
                        text: "≤ 1.0× dynosaur",
                    },
                    Target::Allocations {
                        allocations: 0.0,
                        text: "stretch: 0 allocations",
                    },
                ],
            },
            scenario(
                "trait.dyn.ext_native.from_ref",
                "async-ext native, companion `DynGet::from_ref`",
                ext_native_companion_ref,
            ),
        ],
    }
}

/// The work of the large-future rows: a 256-byte buffer held across an await, so the call's
/// future is larger than the companion's inline storage (128 bytes).
#[inline(always)]
pub(crate) async fn large_work(state: u64, x: u64) -> u64 {
    let buffer = black_box([x; 32]);
    std::future::ready(()).await;
    buffer
        .iter()
        .fold(state, |sum, item| sum.wrapping_add(*item))
}

mod large_dynosaur {
    #![allow(async_fn_in_trait)] // dynosaur's input is a plain async fn in a trait

    use super::{Adder, block_on, large_work};

    #[dynosaur::dynosaur(pub(crate) DynLarge = dyn(box) Large)]
    pub(crate) trait Large {
        async fn get(&self, x: u64) -> u64;
    }

    impl Large for Adder {
        #[inline(never)]
        async fn get(&self, x: u64) -> u64 {
            large_work(self.0, x).await
        }
    }

    #[inline(never)]
    pub(crate) fn call_dyn(object: &DynLarge<'_>, x: u64) -> u64 {
        block_on(object.get(x))
    }
}

mod large_async_trait {
    use super::{Adder, block_on, large_work};

    #[async_trait::async_trait]
    pub(crate) trait Large {
        async fn get(&self, x: u64) -> u64;
    }

    #[async_trait::async_trait]
    impl Large for Adder {
        #[inline(never)]
        async fn get(&self, x: u64) -> u64 {
            large_work(self.0, x).await
        }
    }

    #[inline(never)]
    pub(crate) fn call_dyn(object: &(dyn Large + 'static), x: u64) -> u64 {
        block_on(object.get(x))
    }
}

mod large_async_ext_native {
    use super::{Adder, block_on, large_work};

    #[async_ext::async_trait_ext(native)]
    pub(crate) trait Large {
        async fn get(&self, x: u64) -> u64;
    }

    impl Large for Adder {
        #[inline(never)]
        async fn get(&self, x: u64) -> u64 {
            large_work(self.0, x).await
        }
    }

    #[inline(never)]
    pub(crate) fn call_companion(object: &DynLarge<'_>, x: u64) -> u64 {
        block_on(object.get(x))
    }
}

fn large_async_trait_dyn(n: u64) -> u64 {
    let object: Box<dyn large_async_trait::Large> = Box::new(Adder(black_box(3)));
    call_loop(&*object, n, large_async_trait::call_dyn)
}

fn large_dynosaur_dyn(n: u64) -> u64 {
    let object = large_dynosaur::DynLarge::new_box(Adder(black_box(3)));
    call_loop(&*object, n, |object, x| large_dynosaur::call_dyn(object, x))
}

pub(crate) fn large_ext_companion(n: u64) -> u64 {
    let object = large_async_ext_native::DynLarge::boxed(Adder(black_box(3)));
    call_loop(&*object, n, |object, x| {
        large_async_ext_native::call_companion(object, x)
    })
}

/// Dynamic calls whose future does not fit the companion's inline storage.
pub(crate) fn dyn_calls_large_future() -> Group {
    Group {
        title: "Trait call, dynamic dispatch, future larger than 128 bytes",
        unit: "call",
        peer: "trait.dyn_large.async_trait",
        note: "As above, but the method holds a 256-byte buffer across an `.await`, so its \
               future is larger than the 128 bytes of inline storage of async-ext's companion, \
               which then boxes it.",
        scenarios: vec![
            scenario(
                "trait.dyn_large.async_trait",
                "async-trait, `&dyn Large`",
                large_async_trait_dyn,
            ),
            scenario(
                "trait.dyn_large.dynosaur",
                "dynosaur, `&DynLarge`",
                large_dynosaur_dyn,
            ),
            Scenario {
                id: "trait.dyn_large.ext_native",
                label: "async-ext native, companion `DynLarge::boxed`",
                run: large_ext_companion,
                targets: vec![Target::Ratio {
                    against: "trait.dyn_large.dynosaur",
                    max: 1.0,
                    allocations: None,
                    text: "≤ 1.0× dynosaur",
                }],
            },
        ],
    }
}
