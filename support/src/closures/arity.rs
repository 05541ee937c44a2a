//! Everything that exists once per arity (0 to 12), generated from one table.

use core::future::Future;

use super::made::{AsyncClosure, AsyncClosureMut, AsyncClosureOnce, BodyFn, BodyFnOnce};
use super::{AsyncFn, AsyncFnMut, AsyncFnMutSend, AsyncFnOnce, AsyncFnOnceSend, AsyncFnSend};

/// A type with up to four lifetime holes: `async_closure!` writes each argument type as
/// `dyn for<'x0, 'x1, 'x2, 'x3> ArgType<'x0, 'x1, 'x2, 'x3, Of = &'x0 str>` (every elided
/// lifetime of the argument becomes one hole), so a funnel can state "for every lifetime" of
/// an argument type it only receives as a type parameter. Without it, an argument `&str` would
/// be fixed to one lifetime when the funnel deduces the body's signature.
pub trait ArgType<'x0, 'x1, 'x2, 'x3> {
    /// The argument type with the holes filled in.
    type Of;
}

/// Calls `$callback!(module: A1 a1 H1 [lifetimes…], …)` once per arity: the argument type
/// parameter, its value name, its hole type parameter and the four lifetimes of its holes.
macro_rules! for_each_arity {
    ($callback:ident) => {
        $callback!(a0: );
        $callback!(a1: A1 a1 H1 ['a1_0 'a1_1 'a1_2 'a1_3]);
        $callback!(a2: A1 a1 H1 ['a1_0 'a1_1 'a1_2 'a1_3], A2 a2 H2 ['a2_0 'a2_1 'a2_2 'a2_3]);
        $callback!(a3: A1 a1 H1 ['a1_0 'a1_1 'a1_2 'a1_3], A2 a2 H2 ['a2_0 'a2_1 'a2_2 'a2_3], A3 a3 H3 ['a3_0 'a3_1 'a3_2 'a3_3]);
        $callback!(a4: A1 a1 H1 ['a1_0 'a1_1 'a1_2 'a1_3], A2 a2 H2 ['a2_0 'a2_1 'a2_2 'a2_3], A3 a3 H3 ['a3_0 'a3_1 'a3_2 'a3_3], A4 a4 H4 ['a4_0 'a4_1 'a4_2 'a4_3]);
        $callback!(a5: A1 a1 H1 ['a1_0 'a1_1 'a1_2 'a1_3], A2 a2 H2 ['a2_0 'a2_1 'a2_2 'a2_3], A3 a3 H3 ['a3_0 'a3_1 'a3_2 'a3_3], A4 a4 H4 ['a4_0 'a4_1 'a4_2 'a4_3], A5 a5 H5 ['a5_0 'a5_1 'a5_2 'a5_3]);
        $callback!(a6: A1 a1 H1 ['a1_0 'a1_1 'a1_2 'a1_3], A2 a2 H2 ['a2_0 'a2_1 'a2_2 'a2_3], A3 a3 H3 ['a3_0 'a3_1 'a3_2 'a3_3], A4 a4 H4 ['a4_0 'a4_1 'a4_2 'a4_3], A5 a5 H5 ['a5_0 'a5_1 'a5_2 'a5_3], A6 a6 H6 ['a6_0 'a6_1 'a6_2 'a6_3]);
        $callback!(a7: A1 a1 H1 ['a1_0 'a1_1 'a1_2 'a1_3], A2 a2 H2 ['a2_0 'a2_1 'a2_2 'a2_3], A3 a3 H3 ['a3_0 'a3_1 'a3_2 'a3_3], A4 a4 H4 ['a4_0 'a4_1 'a4_2 'a4_3], A5 a5 H5 ['a5_0 'a5_1 'a5_2 'a5_3], A6 a6 H6 ['a6_0 'a6_1 'a6_2 'a6_3], A7 a7 H7 ['a7_0 'a7_1 'a7_2 'a7_3]);
        $callback!(a8: A1 a1 H1 ['a1_0 'a1_1 'a1_2 'a1_3], A2 a2 H2 ['a2_0 'a2_1 'a2_2 'a2_3], A3 a3 H3 ['a3_0 'a3_1 'a3_2 'a3_3], A4 a4 H4 ['a4_0 'a4_1 'a4_2 'a4_3], A5 a5 H5 ['a5_0 'a5_1 'a5_2 'a5_3], A6 a6 H6 ['a6_0 'a6_1 'a6_2 'a6_3], A7 a7 H7 ['a7_0 'a7_1 'a7_2 'a7_3], A8 a8 H8 ['a8_0 'a8_1 'a8_2 'a8_3]);
        $callback!(a9: A1 a1 H1 ['a1_0 'a1_1 'a1_2 'a1_3], A2 a2 H2 ['a2_0 'a2_1 'a2_2 'a2_3], A3 a3 H3 ['a3_0 'a3_1 'a3_2 'a3_3], A4 a4 H4 ['a4_0 'a4_1 'a4_2 'a4_3], A5 a5 H5 ['a5_0 'a5_1 'a5_2 'a5_3], A6 a6 H6 ['a6_0 'a6_1 'a6_2 'a6_3], A7 a7 H7 ['a7_0 'a7_1 'a7_2 'a7_3], A8 a8 H8 ['a8_0 'a8_1 'a8_2 'a8_3], A9 a9 H9 ['a9_0 'a9_1 'a9_2 'a9_3]);
        $callback!(a10: A1 a1 H1 ['a1_0 'a1_1 'a1_2 'a1_3], A2 a2 H2 ['a2_0 'a2_1 'a2_2 'a2_3], A3 a3 H3 ['a3_0 'a3_1 'a3_2 'a3_3], A4 a4 H4 ['a4_0 'a4_1 'a4_2 'a4_3], A5 a5 H5 ['a5_0 'a5_1 'a5_2 'a5_3], A6 a6 H6 ['a6_0 'a6_1 'a6_2 'a6_3], A7 a7 H7 ['a7_0 'a7_1 'a7_2 'a7_3], A8 a8 H8 ['a8_0 'a8_1 'a8_2 'a8_3], A9 a9 H9 ['a9_0 'a9_1 'a9_2 'a9_3], A10 a10 H10 ['a10_0 'a10_1 'a10_2 'a10_3]);
        $callback!(a11: A1 a1 H1 ['a1_0 'a1_1 'a1_2 'a1_3], A2 a2 H2 ['a2_0 'a2_1 'a2_2 'a2_3], A3 a3 H3 ['a3_0 'a3_1 'a3_2 'a3_3], A4 a4 H4 ['a4_0 'a4_1 'a4_2 'a4_3], A5 a5 H5 ['a5_0 'a5_1 'a5_2 'a5_3], A6 a6 H6 ['a6_0 'a6_1 'a6_2 'a6_3], A7 a7 H7 ['a7_0 'a7_1 'a7_2 'a7_3], A8 a8 H8 ['a8_0 'a8_1 'a8_2 'a8_3], A9 a9 H9 ['a9_0 'a9_1 'a9_2 'a9_3], A10 a10 H10 ['a10_0 'a10_1 'a10_2 'a10_3], A11 a11 H11 ['a11_0 'a11_1 'a11_2 'a11_3]);
        $callback!(a12: A1 a1 H1 ['a1_0 'a1_1 'a1_2 'a1_3], A2 a2 H2 ['a2_0 'a2_1 'a2_2 'a2_3], A3 a3 H3 ['a3_0 'a3_1 'a3_2 'a3_3], A4 a4 H4 ['a4_0 'a4_1 'a4_2 'a4_3], A5 a5 H5 ['a5_0 'a5_1 'a5_2 'a5_3], A6 a6 H6 ['a6_0 'a6_1 'a6_2 'a6_3], A7 a7 H7 ['a7_0 'a7_1 'a7_2 'a7_3], A8 a8 H8 ['a8_0 'a8_1 'a8_2 'a8_3], A9 a9 H9 ['a9_0 'a9_1 'a9_2 'a9_3], A10 a10 H10 ['a10_0 'a10_1 'a10_2 'a10_3], A11 a11 H11 ['a11_0 'a11_1 'a11_2 'a11_3], A12 a12 H12 ['a12_0 'a12_1 'a12_2 'a12_3]);
    };
}

// The plain-closure blanket impls: `|x| async move { .. }`, `async fn` items and native async
// closures that do not borrow their own captures are `Fn*(A…) -> impl Future`. Coherence with
// the macro-made types holds because the `Fn*` traits are `#[fundamental]`.
macro_rules! impl_arity {
    ($module:ident : $($A:ident $a:ident $H:ident [$($l:lifetime)*]),*) => {
        impl<F, Fut, $($A,)*> AsyncFnOnce<($($A,)*)> for F
        where
            F: FnOnce($($A),*) -> Fut,
            Fut: Future,
        {
            type Output = Fut::Output;
            type CallOnceFuture = Fut;

            fn call_once(self, ($($a,)*): ($($A,)*)) -> Fut {
                self($($a),*)
            }
        }

        impl<F, Fut, $($A,)*> AsyncFnMut<($($A,)*)> for F
        where
            F: FnMut($($A),*) -> Fut,
            Fut: Future,
        {
            type CallRefFuture<'a>
                = Fut
            where
                Self: 'a;

            fn call_mut(&mut self, ($($a,)*): ($($A,)*)) -> Fut {
                self($($a),*)
            }
        }

        impl<F, Fut, $($A,)*> AsyncFn<($($A,)*)> for F
        where
            F: Fn($($A),*) -> Fut,
            Fut: Future,
        {
            fn call(&self, ($($a,)*): ($($A,)*)) -> Fut {
                self($($a),*)
            }
        }

        impl<F, Fut, $($A,)*> AsyncFnOnceSend<($($A,)*)> for F
        where
            F: FnOnce($($A),*) -> Fut,
            Fut: Future + Send,
        {
            type CallOnceSendFuture = Fut;

            fn call_once_send(self, ($($a,)*): ($($A,)*)) -> Fut {
                self($($a),*)
            }
        }

        impl<F, Fut, $($A,)*> AsyncFnMutSend<($($A,)*)> for F
        where
            F: FnMut($($A),*) -> Fut,
            Fut: Future + Send,
        {
            type CallRefSendFuture<'a>
                = Fut
            where
                Self: 'a;

            fn call_mut_send(&mut self, ($($a,)*): ($($A,)*)) -> Fut {
                self($($a),*)
            }
        }

        impl<F, Fut, $($A,)*> AsyncFnSend<($($A,)*)> for F
        where
            F: Fn($($A),*) -> Fut,
            Fut: Future + Send,
        {
            fn call_send(&self, ($($a,)*): ($($A,)*)) -> Fut {
                self($($a),*)
            }
        }

        impl<F, Fut, S, $($A,)*> BodyFn<S, ($($A,)*)> for F
        where
            F: Fn(S, $($A),*) -> Fut,
            Fut: Future,
        {
            type Future = Fut;

            fn call_body(&self, state: S, ($($a,)*): ($($A,)*)) -> Fut {
                self(state, $($a),*)
            }
        }

        impl<F, Fut, S, $($A,)*> BodyFnOnce<S, ($($A,)*)> for F
        where
            F: FnOnce(S, $($A),*) -> Fut,
            Fut: Future,
        {
            type Future = Fut;

            fn call_body_once(self, state: S, ($($a,)*): ($($A,)*)) -> Fut {
                self(state, $($a),*)
            }
        }

        /// The funnels of this arity. Each takes the state first, so its type is known when
        /// the body closures are checked (rustc checks closure arguments last), and gives the
        /// bodies their signature through a native `AsyncFn*` bound whose argument types are
        /// the hole types `H…`, higher-ranked over every elided lifetime.
        pub mod $module {
            use super::{AsyncClosure, AsyncClosureMut, AsyncClosureOnce};

            /// The closure of an `async_closure!` without `let mut` captures.
            pub fn closure<$($H: ?Sized,)* S, R, B, BO>(
                state: S,
                body: B,
                body_once: BO,
            ) -> AsyncClosure<S, B, BO>
            where
                $($H: for<'x0, 'x1, 'x2, 'x3> super::ArgType<'x0, 'x1, 'x2, 'x3>,)*
                B: for<'s, $($($l,)*)*> ::core::ops::AsyncFn(
                    &'s S,
                    $(<$H as super::ArgType<$($l),*>>::Of),*
                ) -> R,
                BO: for<$($($l,)*)*> ::core::ops::AsyncFnOnce(
                    (S, B),
                    $(<$H as super::ArgType<$($l),*>>::Of),*
                ) -> R,
            {
                AsyncClosure::new(state, body, body_once)
            }

            /// The closure of an `async_closure!` with a `let mut` capture.
            pub fn closure_mut<$($H: ?Sized,)* S, R, B, BO>(
                state: S,
                body: B,
                body_once: BO,
            ) -> AsyncClosureMut<S, B, BO>
            where
                $($H: for<'x0, 'x1, 'x2, 'x3> super::ArgType<'x0, 'x1, 'x2, 'x3>,)*
                B: for<'s, $($($l,)*)*> ::core::ops::AsyncFn(
                    &'s mut S,
                    $(<$H as super::ArgType<$($l),*>>::Of),*
                ) -> R,
                BO: for<$($($l,)*)*> ::core::ops::AsyncFnOnce(
                    (S, B),
                    $(<$H as super::ArgType<$($l),*>>::Of),*
                ) -> R,
            {
                AsyncClosureMut::new(state, body, body_once)
            }

            /// The closure of an `async_closure!(once …)`.
            pub fn closure_once<$($H: ?Sized,)* S, R, BO>(
                state: S,
                body_once: BO,
            ) -> AsyncClosureOnce<S, BO>
            where
                $($H: for<'x0, 'x1, 'x2, 'x3> super::ArgType<'x0, 'x1, 'x2, 'x3>,)*
                BO: for<$($($l,)*)*> ::core::ops::AsyncFnOnce(
                    S,
                    $(<$H as super::ArgType<$($l),*>>::Of),*
                ) -> R,
            {
                AsyncClosureOnce::new(state, body_once)
            }
        }
    };
}

/// The funnels, one module per arity (`a0` to `a12`), re-exported through `__private`.
pub(crate) mod funnels {
    use super::{
        ArgType, AsyncClosure, AsyncClosureMut, AsyncClosureOnce, AsyncFn, AsyncFnMut,
        AsyncFnMutSend, AsyncFnOnce, AsyncFnOnceSend, AsyncFnSend, BodyFn, BodyFnOnce, Future,
    };

    for_each_arity!(impl_arity);
}
