#!/usr/bin/env bash
# Runs the behaviour tests of the runtime's unsafe mechanisms (generators, closures, async drop,
# the native companion's inline futures, plus `for await` and the panic/cancellation tests) and
# the support crate's own unit tests (which attack its `unsafe` blocks directly) under
# AddressSanitizer, with the installed nightly toolchain, and records the result in
# tests/ASAN-RESULTS.md.
#
#   tests/asan.sh              # all the test files below that exist
#   tests/asan.sh streams      # only tests/tests/streams.rs
#
# CI stays on stable and does not run this. `--target` is given explicitly so that only the
# target code (the support crate, the tests) is instrumented, not the proc macros. With the
# nightly's `rust-src` component, std is rebuilt with the sanitizer too (`-Zbuild-std`);
# without it, std is the prebuilt one and only our code is instrumented (heap errors in our
# code are still caught: ASan intercepts malloc/free).
set -euo pipefail

cd "$(dirname "$0")/.."
target=x86_64-unknown-linux-gnu
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
    files=(streams closures async_drop traits_native for_await panic_safety)
fi

build_std=()
std_note="prebuilt std (no rust-src for nightly)"
if rustup component list --toolchain nightly --installed 2>/dev/null | grep -q '^rust-src'; then
    build_std=(-Zbuild-std)
    std_note="std rebuilt with the sanitizer (-Zbuild-std)"
fi

export RUSTFLAGS="-Zsanitizer=address"
export RUSTDOCFLAGS="-Zsanitizer=address"
export ASAN_OPTIONS="detect_leaks=1:detect_stack_use_after_return=1:abort_on_error=0"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}/asan"

# The canary: a use-after-free the sanitizer must catch, so that a clean run means something.
canary_dir=$(mktemp -d)
cat > "$canary_dir/canary.rs" <<'RUST'
fn main() {
    let boxed = Box::new(7u32);
    let pointer: *const u32 = &*boxed;
    drop(boxed);
    // SAFETY: none; this is the bug the sanitizer must report.
    println!("{}", unsafe { std::ptr::read_volatile(pointer) });
}
RUST
rustc +nightly -Zsanitizer=address --target "$target" -o "$canary_dir/canary" "$canary_dir/canary.rs"
canary_output=$("$canary_dir/canary" 2>&1 || true)
if grep -q 'heap-use-after-free' <<<"$canary_output"; then
    canary="caught (heap-use-after-free reported)"
else
    canary="NOT caught: the sanitizer is not working, the run below proves nothing"
fi
rm -rf "$canary_dir"
echo "asan.sh: canary $canary" >&2

tests=()
for file in "${files[@]}"; do
    if [ -f "tests/tests/$file.rs" ]; then
        tests+=(--test "$file")
    else
        echo "asan.sh: skipping $file (tests/tests/$file.rs does not exist yet)" >&2
    fi
done
if [ ${#tests[@]} -eq 0 ]; then
    echo "asan.sh: nothing to run" >&2
    exit 1
fi

log=$(mktemp)
status=0
cargo +nightly test "${build_std[@]}" --target "$target" -p async-ext-tests "${tests[@]}" \
    2>&1 | tee "$log" || status=$?
# The support crate's unit tests (inline futures, the orphan hook cell, the generator).
cargo +nightly test "${build_std[@]}" --target "$target" -p async-ext --lib \
    2>&1 | tee -a "$log" || status=$?

{
    echo "# AddressSanitizer: last recorded run"
    echo
    echo "Written by \`tests/asan.sh\`; rerun it to update. CI (stable) does not run it."
    echo
    echo "* date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "* commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- support tests macros ':!tests/ASAN-RESULTS.md' || echo ' (with uncommitted changes)')"
    echo "* toolchain: $(rustc +nightly --version)"
    echo "* flags: \`RUSTFLAGS=$RUSTFLAGS\`, \`ASAN_OPTIONS=$ASAN_OPTIONS\`, --target $target; $std_note"
    echo "* canary (a deliberate use-after-free, built with the same flags): $canary"
    echo "* test files: ${tests[*]}, and \`-p async-ext --lib\`"
    echo "* exit status: $status"
    echo "* AddressSanitizer reports: $(grep -c 'ERROR: AddressSanitizer\|ERROR: LeakSanitizer' "$log" || true)"
    echo
    echo "Per test binary:"
    echo
    echo '```text'
    grep -E '^\s+Running |^test result:' "$log" | sed -E 's/\(.*\)//' || true
    echo '```'
} > tests/ASAN-RESULTS.md
rm -f "$log"
echo "asan.sh: result written to tests/ASAN-RESULTS.md (exit status $status)"
exit "$status"
