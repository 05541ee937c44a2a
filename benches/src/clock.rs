//! The clock of the timing samples: this thread's CPU time where the platform gives it
//! (`CLOCK_THREAD_CPUTIME_ID` on 64-bit Linux), so time spent descheduled while other work
//! runs on the shared machine does not count; the wall clock elsewhere.

use std::time::Instant;

/// What [`elapsed_ns`] measures, for the report.
#[must_use]
pub fn description() -> &'static str {
    if thread_cpu_ns().is_some() {
        "this thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`), so time spent descheduled by other \
         work does not count"
    } else {
        "the wall clock (`Instant`)"
    }
}

/// Nanoseconds `f` took on [the clock](description), and its result.
// A sample lasts milliseconds, far below the 2^52 ns where `as f64` would round.
#[allow(clippy::cast_precision_loss)]
pub fn elapsed_ns<R>(f: impl FnOnce() -> R) -> (f64, R) {
    if let Some(start) = thread_cpu_ns() {
        let result = f();
        let end = thread_cpu_ns().unwrap_or(start);
        return (end.saturating_sub(start) as f64, result);
    }
    let start = Instant::now();
    let result = f();
    (start.elapsed().as_secs_f64() * 1e9, result)
}

#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
fn thread_cpu_ns() -> Option<u64> {
    /// `struct timespec` on 64-bit Linux: `time_t` and `long` are both 64 bits.
    #[repr(C)]
    struct Timespec {
        seconds: i64,
        nanoseconds: i64,
    }

    unsafe extern "C" {
        /// glibc's and musl's `clock_gettime(2)`.
        fn clock_gettime(clock: i32, time: *mut Timespec) -> i32;
    }

    /// `CLOCK_THREAD_CPUTIME_ID` in `<time.h>` on Linux.
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;

    let mut time = Timespec {
        seconds: 0,
        nanoseconds: 0,
    };
    // SAFETY: `time` is a valid, writable `struct timespec` (the layout above matches 64-bit
    // Linux), and `clock_gettime` writes only into it.
    let status = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &raw mut time) };
    if status != 0 {
        return None;
    }
    let seconds = u64::try_from(time.seconds).ok()?;
    let nanoseconds = u64::try_from(time.nanoseconds).ok()?;
    Some(seconds * 1_000_000_000 + nanoseconds)
}

#[cfg(not(all(target_os = "linux", target_pointer_width = "64")))]
fn thread_cpu_ns() -> Option<u64> {
    None
}

#[cfg(test)]
mod tests {
    use super::elapsed_ns;
    use std::hint::black_box;

    #[test]
    fn busy_work_takes_time_and_keeps_its_result() {
        let (ns, sum) = elapsed_ns(|| (0..2_000_000u64).map(black_box).sum::<u64>());
        assert_eq!(sum, 1_999_999_000_000);
        assert!(
            ns > 0.0,
            "the clock did not advance over two million additions"
        );
    }
}
