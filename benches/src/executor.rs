//! The smallest executor: poll with a no-op waker until the future is ready.
//!
//! The scenarios never wait on I/O, so a real runtime would only add its own cost to every
//! row. A future that returns `Pending` is polled again at once.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

/// Polls `future` to completion on the current thread.
#[inline]
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::block_on;
    use std::future::Future;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    /// Pending `n` times, then ready with the number of polls.
    struct PendingTimes(u32, u32);

    impl Future for PendingTimes {
        type Output = u32;
        fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<u32> {
            self.1 += 1;
            if self.0 == 0 {
                Poll::Ready(self.1)
            } else {
                self.0 -= 1;
                Poll::Pending
            }
        }
    }

    #[test]
    fn polls_again_until_ready() {
        assert_eq!(block_on(PendingTimes(3, 0)), 4);
        assert_eq!(block_on(async { 7 }), 7);
    }
}
