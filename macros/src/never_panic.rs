//! Property test: every macro, fed random token trees and mutations of valid inputs, returns
//! an expansion or a `compile_error!`, and never panics.
//!
//! Each macro's logic is a function over `proc_macro2::TokenStream` (the `#[proc_macro*]`
//! entry points in `lib.rs` only convert), so it can be called here outside a compiler
//! session: spans are `proc_macro2`'s fallback spans, which is all the logic needs.
//!
//! Half of the cases of each macro are random token trees (idents drawn from the keywords and
//! names the macros look for, every punctuation character, literals of every kind, nested
//! groups of every delimiter); the other half take an input of the corpus below (valid inputs
//! from api.md) and apply one to four mutations at random depths: drop, duplicate, swap or
//! truncate tokens, replace an ident, a literal or a group, change a group's delimiter, insert
//! a random token. The attribute arguments are mutated the same way, less often.
//!
//! CI runs a fixed-seed slice ([`DEFAULT_CASES`] per macro). A long campaign:
//!
//! ```text
//! ASYNC_EXT_FUZZ_CASES=1000000 ASYNC_EXT_FUZZ_SEED=0x5eed \
//!     cargo test --release -p async-ext-macros never_panic -- --nocapture
//! ```
//!
//! Every test prints `cases`, `seed` and how many outputs were errors; a panic fails the test
//! and prints the macro, the case number, the input and the panic message (rerunning with the
//! same seed and case count reproduces it).

use std::cell::{Cell, RefCell};
use std::fmt::Write as _;
use std::panic::{self, AssertUnwindSafe};
use std::str::FromStr;
use std::sync::Once;

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};

/// Cases per macro when `ASYNC_EXT_FUZZ_CASES` is not set: a few thousand, which keeps the
/// whole file under a minute in a debug build on two cores.
const DEFAULT_CASES: u64 = 4_000;
/// Seed when `ASYNC_EXT_FUZZ_SEED` is not set. Fixed, so CI is deterministic.
const DEFAULT_SEED: u64 = 0x00A5_1C0E_7E57_F00D;
/// Long campaigns print a progress line every this many cases per macro.
const PROGRESS_EVERY: u64 = 100_000;
/// How many failing inputs one test prints before it gives up.
const MAX_REPORTED: usize = 5;

// ---------------------------------------------------------------------------------------
// The macros under test.

/// One macro's logic, with how its input is shaped.
#[derive(Clone, Copy)]
enum Target {
    /// An attribute: `(args, item)`.
    Attribute(fn(TokenStream, TokenStream) -> TokenStream),
    /// A function-like macro or a derive: one stream.
    Tokens(fn(TokenStream) -> TokenStream),
}

fn stream_macro_plain(input: TokenStream) -> TokenStream {
    crate::streams::expand_stream_macro(input, crate::streams::Flavor::Plain)
}

fn stream_macro_try(input: TokenStream) -> TokenStream {
    crate::streams::expand_stream_macro(input, crate::streams::Flavor::Try)
}

fn stream_fn_plain(args: TokenStream, input: TokenStream) -> TokenStream {
    crate::streams::expand_stream_fn(args, input, crate::streams::Flavor::Plain)
}

fn stream_fn_try(args: TokenStream, input: TokenStream) -> TokenStream {
    crate::streams::expand_stream_fn(args, input, crate::streams::Flavor::Try)
}

// ---------------------------------------------------------------------------------------
// The corpus: valid inputs of every macro, as the user (or the `macro_rules!` wrapper, which
// puts `($crate)` in front) hands them over. The function-like macros get `(::async_ext)`
// here: rustc hands `$crate` over as one ident, which `proc_macro2`'s fallback cannot make.

/// `(args, input)` pairs of `#[async_trait_ext]`.
const TRAITS: &[(&str, &str)] = &[
    (
        "",
        "pub trait Store {
            async fn get(&self, key: &str) -> Option<Vec<u8>>;
            async fn put(&mut self, key: String, value: Vec<u8>) -> std::io::Result<()>;
            async fn len(&self) -> usize { 0 }
            fn name(&self) -> &str;
        }",
    ),
    (
        "",
        "impl Store for Memory {
            async fn get(&self, key: &str) -> Option<Vec<u8>> { self.map.get(key).cloned() }
            async fn put(&mut self, key: String, value: Vec<u8>) -> std::io::Result<()> {
                self.map.insert(key, value); Ok(())
            }
            fn name(&self) -> &str { \"memory\" }
        }",
    ),
    (
        "?Send",
        "trait Local<'a, T: Clone + 'a, const N: usize> where T: Default {
            type Out;
            const K: u8 = 1;
            async fn by_value(self) where Self: Sized;
            async fn by_mut_value(mut self) where Self: Sized {}
            async fn boxed(self: Box<Self>) -> u8;
            async fn arc(self: std::sync::Arc<Self>) -> &'static str;
            async fn pinned(self: core::pin::Pin<&mut Self>);
            async fn generic<U: Into<T> + Send>(&self, u: U, x: impl AsRef<str>) -> Self::Out
                where Self: Sized;
            async fn pattern(&self, (a, b): (u8, u8), _: T, mut c: u32) -> u32 { c += 1; c + a as u32 }
            async fn elided(&self, s: &str, t: std::borrow::Cow<'_, str>) -> &str;
            #[async_trait_ext(?Send)]
            async fn one_local(&self);
            #[cfg(feature = \"x\")]
            async fn gated(&self, #[cfg(feature = \"y\")] y: u8);
            /// Documented.
            async fn documented(&'a self) -> [T; N];
        }",
    ),
    (
        "native",
        "pub trait Store<K> {
            type Value: Send;
            async fn get(&self, key: &K) -> Option<Self::Value>;
            async fn put(&mut self, key: K, value: Self::Value);
            async fn len(&self) -> usize { 0 }
            fn name(&self) -> &str;
            async fn sized_only<T: Send>(&self, t: T) where Self: Sized {}
        }",
    ),
    (
        "native, ?Send, dyn = DynLocal",
        "pub(crate) trait Local { async fn run(&mut self, n: u32) -> u32; fn sync(&self) {} }",
    ),
    (
        "native, dyn = none",
        "pub(crate) unsafe trait Marked { async fn run(self: Box<Self>); }",
    ),
    (
        "native, dyn = none, crate = ::async_ext",
        "trait Consts { const N: usize; async fn go<T>(&self, t: T); }",
    ),
    (
        "crate = ::async_ext",
        "impl<'a, T: Send + Sync> Store for Wrapper<'a, T> where T: Clone {
            #[async_scope]
            async fn get(&self, #[async_drop] conn: Conn, key: &str) -> Option<Vec<u8>> {
                #[async_drop] let tx = conn.begin().await;
                defer_async!(async {});
                let mut total = 0;
                #[for_await]
                for x in self.stream() { total += x; }
                None
            }
            #[async_stream(item = u32)]
            async fn numbers(&self) { for i in 0..3 { yield_!(i); } }
            async fn put(&mut self, _: String, _value: Vec<u8>) -> std::io::Result<()> { Ok(()) }
        }",
    ),
    (
        "",
        "unsafe impl<T> Marker for T { async fn mark(&self) {} }",
    ),
    (
        "",
        "pub trait Tricky {
            #[async_trait_ext(?Send)]
            async unsafe fn raw(&self, p: *const u8) -> u8;
            async fn nested(&self, f: impl Fn(impl Into<u8>) -> u8 + Send);
            async fn dynamic(&self, it: &mut (dyn Iterator<Item = u8> + Send)) -> Option<u8>;
        }",
    ),
];

/// Inputs of `async_closure!`, as its wrapper passes them.
const CLOSURES: &[&str] = &[
    "(::async_ext) async |x: u32| x + 1",
    "(::async_ext) async || {}",
    "(::async_ext) { let mut n = 0u32; let prefix = prefix.clone(); }
        async |step: u32| -> String {
            n += step;
            some_io().await;
            format!(\"{prefix}{n}\")
        }",
    "(::async_ext) once { let v: Vec<u8> = Vec::new(); } async |a: u8, b: &str| -> Vec<u8> { drop(b); v }",
    "(::async_ext) { let s = String::new(); } async |(a, b): (u8, u8), mut c: u32| { c += 1; s.len() + a as usize + b as usize + c as usize }",
    "(::async_ext) async |s: &str, t: &mut Vec<u8>, u: Box<dyn Fn() + Send>| -> usize { t.push(1); s.len() }",
    "(::async_ext) { let a = 1u8; let mut b: Vec<u8> = vec![a]; } async |x: &mut Vec<u8>, y: (u8, u8)| { b.push(y.0); x.extend(b.iter()); format!(\"{a}{}\", b.len()) }",
    "(::async_ext) async |a: u8, b: u8, c: u8, d: u8, e: u8, f: u8, g: u8, h: u8, i: u8, j: u8, k: u8, l: u8| a",
    "(::async_ext) async move |x: u32| x",
    "(::async_ext) async |x| x",
];

/// Inputs of `stream!` (and of `try_stream!`, which accepts all of them too).
const STREAM_MACROS: &[&str] = &[
    "(::async_ext) for i in 0..n { yield i; }",
    "(::async_ext) yield 1; yield 2;",
    "(::async_ext)",
    "(::async_ext) let mut x = 0u32;
        loop {
            x += 1;
            if x > 3 { break; }
            for await y in inner(x) { yield y * 2; }
            let f = async { 1 };
            yield f.await;
            let c = |z: u32| z + 1;
            yield c(x);
        }",
    "(::async_ext) 'outer: for await line in r.lines() { if line.is_empty() { continue 'outer; } yield line; }",
    "(::async_ext) match k { 0 => yield 0, _ => { yield k; } }",
    "(::async_ext) let s = stream! { yield 1; }; for await v in s { yield v; }",
    "(::async_ext) <u64> { yield 1; yield 2; }",
    "(::async_ext) <&'a str> { for w in text.split(' ') { yield w; } }",
];

/// Inputs of `try_stream!` only: `?` belongs to the generator.
const TRY_STREAM_MACROS: &[&str] = &[
    "(::async_ext) for await line in r.lines() { let line = line?; yield line; }",
    "(::async_ext) let v: u32 = \"1\".parse()?; yield v; Err(MyError)?;",
    "(::async_ext) let f = || -> Result<u8, E> { Ok(x?) }; yield f()?;",
    "(::async_ext) <_, std::io::Error> { yield String::from(\"first\"); Err(e)?; }",
    "(::async_ext) <u32, _> { let n = async { parse()? }.await; yield n?; }",
];

/// `(args, input)` pairs of `#[async_stream]`.
const STREAM_FNS: &[(&str, &str)] = &[
    (
        "item = u32",
        "async fn evens(limit: u32) { for i in (0..limit).step_by(2) { yield_!(i); } }",
    ),
    (
        "item = &'a str, boxed",
        "pub async fn words<'a>(text: &'a str) { for w in text.split(' ') { yield_!(w); } }",
    ),
    (
        "item = T, boxed_local, crate = ::async_ext",
        "async fn all<T: Clone, S: Stream<Item = T>>(s: S) where T: Send {
            #[for_await]
            for x in s { yield_!(x.clone()); }
        }",
    ),
    (
        "item = u8",
        "async fn method(&self, mut n: u8) { while n > 0 { n -= 1; yield_!(n); } }",
    ),
];

/// `(args, input)` pairs of `#[async_try_stream]`.
const TRY_STREAM_FNS: &[(&str, &str)] = &[
    (
        "ok = String, error = io::Error",
        "async fn read_all(paths: Vec<PathBuf>) { for p in paths { yield_!(load(&p).await?); } }",
    ),
    (
        "ok = u32, error = std::num::ParseIntError, boxed",
        "pub async fn parse<'a>(items: &'a [&'a str]) {
            for s in items { let n: u32 = s.parse()?; yield_!(n); }
        }",
    ),
    (
        "ok = u8, error = E, boxed_local",
        "async fn generic<E: From<std::io::Error>>(&mut self) { yield_!(1); Err(e)?; }",
    ),
];

/// `(args, input)` pairs of `#[for_await]`.
const FOR_AWAITS: &[(&str, &str)] = &[
    (
        "",
        "async fn total(s: impl Stream<Item = u32>) -> u32 {
            let mut sum = 0;
            #[for_await]
            for x in s { sum += x; }
            sum
        }",
    ),
    (
        "crate = ::async_ext",
        "pub async fn nested<S: Stream<Item = T> + Unpin, T>(mut s: S, t: &mut S) {
            'outer: loop {
                #[for_await]
                'inner: for (a, b) in &mut s {
                    #[for_await]
                    for c in t.by_ref() { if c { continue 'inner; } break 'outer; }
                }
            }
        }",
    ),
    (
        "",
        "fn not_async() -> impl Future<Output = ()> { async { #[for_await] for x in s {} } }",
    ),
];

/// `(args, input)` pairs of `#[async_scope]`.
const SCOPES: &[(&str, &str)] = &[
    (
        "",
        "async fn handle(#[async_drop] conn: Conn, req: Req) -> Result<Resp, Error> {
            #[async_drop] let tx = conn.begin().await?;
            defer_async!(async { metrics::flush().await });
            let r = tx.exec(req).await?;
            Ok(r)
        }",
    ),
    (
        "",
        "pub async fn looped(&mut self, items: Vec<Item>) {
            for item in items {
                #[async_drop] let mut guard = item.lock().await;
                if guard.done() { let taken = async_ext::disarm!(guard); drop(taken); continue; }
                return;
            }
        }",
    ),
    (
        "crate = ::async_ext",
        "async fn streams(s: S) -> u32 {
            #[async_drop] let a = A::new();
            #[async_drop] let mut b: B = B::default();
            let mut n = 0;
            #[for_await]
            for x in s { n += x; }
            n
        }",
    ),
];

/// Inputs of `#[derive(AsyncDrop)]`.
const DERIVES: &[&str] = &[
    "struct Pair { #[async_drop] a: Conn, b: u8, #[async_drop] c: Conn }",
    "#[async_drop(hook = Self::close)] pub struct Hooked<T> { #[async_drop] inner: T, name: String }",
    "#[async_drop(send)] struct Sendy(#[async_drop] Conn, u8);",
    "#[async_drop(send, hook = close)] enum Either<A, B> where A: Clone {
        Left(#[async_drop] A),
        Right { #[async_drop] b: B, n: u8 },
        Neither,
    }",
    "struct Unit;",
];

// ---------------------------------------------------------------------------------------
// A tiny seeded PRNG (SplitMix64): no dependency, the same sequence everywhere.

struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        // The modulo bias is irrelevant for fuzzing.
        usize::try_from(self.next_u64() % n as u64).unwrap_or(0)
    }

    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

// ---------------------------------------------------------------------------------------
// Random tokens.

/// Idents the macros look for, keywords, and ordinary names.
const IDENTS: &[&str] = &[
    "async",
    "await",
    "fn",
    "trait",
    "impl",
    "for",
    "in",
    "yield",
    "yield_",
    "let",
    "mut",
    "move",
    "once",
    "self",
    "Self",
    "super",
    "crate",
    "where",
    "dyn",
    "unsafe",
    "pub",
    "const",
    "type",
    "struct",
    "enum",
    "union",
    "loop",
    "while",
    "break",
    "continue",
    "return",
    "match",
    "if",
    "else",
    "static",
    "ref",
    "box",
    "gen",
    "try",
    "macro_rules",
    "native",
    "none",
    "boxed",
    "boxed_local",
    "item",
    "ok",
    "error",
    "hook",
    "send",
    "Send",
    "Sync",
    "Sized",
    "Unpin",
    "for_await",
    "async_drop",
    "async_scope",
    "async_stream",
    "async_try_stream",
    "async_trait_ext",
    "defer_async",
    "disarm",
    "stream",
    "try_stream",
    "async_ext",
    "Box",
    "Pin",
    "Future",
    "Stream",
    "Option",
    "Result",
    "Some",
    "None",
    "Ok",
    "Err",
    "u8",
    "u32",
    "usize",
    "str",
    "String",
    "Vec",
    "T",
    "U",
    "E",
    "x",
    "y",
    "a",
    "_",
    "cfg",
    "doc",
    "derive",
    "DynStore",
    "AsyncDrop",
    "Output",
    "Item",
];

const PUNCTS: &[char] = &[
    '!', '#', '$', '%', '&', '\'', '*', '+', ',', '-', '.', '/', ':', ';', '<', '=', '>', '?', '@',
    '^', '|', '~',
];

/// Multi-character operators, so that `->`, `::`, `=>`, `..=` and friends appear often.
const OPERATORS: &[&str] = &[
    "->", "=>", "::", "..", "..=", "...", "&&", "||", "<=", ">=", "==", "!=", "+=", "-=", "<<",
    ">>", "?", "#!",
];

const DELIMITERS: &[Delimiter] = &[
    Delimiter::Parenthesis,
    Delimiter::Brace,
    Delimiter::Bracket,
    Delimiter::None,
];

fn random_ident(rng: &mut Rng) -> TokenTree {
    let name = *rng.pick(IDENTS);
    if rng.chance(40) && !matches!(name, "_" | "self" | "Self" | "super" | "crate") {
        return TokenTree::Ident(Ident::new_raw(name, Span::call_site()));
    }
    TokenTree::Ident(Ident::new(name, Span::call_site()))
}

fn random_literal(rng: &mut Rng) -> TokenTree {
    let n = rng.next_u64();
    let literal = match rng.below(12) {
        0 => Literal::u32_unsuffixed(u32::try_from(n % 1000).unwrap_or(0)),
        1 => Literal::u8_suffixed(u8::try_from(n % 256).unwrap_or(0)),
        2 => Literal::u64_unsuffixed(n),
        3 => Literal::i64_suffixed(-i64::try_from(n % 100).unwrap_or(0)),
        4 => Literal::usize_suffixed(0),
        5 => Literal::f64_unsuffixed(1.5),
        6 => Literal::f32_suffixed(0.25),
        7 => Literal::string(rng.pick::<&str>(&["", "x", "{prefix}{n}", "?Send", "\"\\"])),
        8 => Literal::character(*rng.pick(&['a', '\'', '\n', '\u{1F980}'])),
        9 => Literal::byte_string(b"bytes"),
        10 => Literal::byte_character(b'b'),
        _ => Literal::from_str(rng.pick::<&str>(&["r#\"raw\"#", "1e3", "0x_ff_u16", "c\"c\""]))
            .unwrap_or_else(|_| Literal::u8_unsuffixed(0)),
    };
    TokenTree::Literal(literal)
}

/// One random token tree; groups nest while `depth` lasts.
fn random_tree(rng: &mut Rng, depth: usize) -> TokenTree {
    match rng.below(if depth == 0 { 4 } else { 5 }) {
        0 => random_ident(rng),
        1 => {
            let spacing = if rng.chance(3) {
                Spacing::Joint
            } else {
                Spacing::Alone
            };
            TokenTree::Punct(Punct::new(*rng.pick(PUNCTS), spacing))
        }
        2 => random_literal(rng),
        3 => {
            // A lifetime, an operator, or an ident: punctuation is joined as the lexer does.
            if rng.chance(2) {
                let stream: TokenStream = [
                    TokenTree::Punct(Punct::new('\'', Spacing::Joint)),
                    random_ident(rng),
                ]
                .into_iter()
                .collect();
                TokenTree::Group(Group::new(Delimiter::None, stream))
            } else {
                let stream = TokenStream::from_str(rng.pick::<&str>(OPERATORS)).unwrap_or_default();
                TokenTree::Group(Group::new(Delimiter::None, stream))
            }
        }
        _ => {
            let delimiter = *rng.pick(DELIMITERS);
            TokenTree::Group(Group::new(delimiter, random_stream(rng, depth - 1)))
        }
    }
}

fn random_stream(rng: &mut Rng, depth: usize) -> TokenStream {
    let len = rng.below(12);
    (0..len).map(|_| random_tree(rng, depth)).collect()
}

/// Replaces a few of the `None`-delimited wrappers made by [`random_tree`] with their contents
/// so lifetimes and operators also appear as the bare tokens the lexer produces.
fn flatten_none_groups(stream: TokenStream, rng: &mut Rng) -> TokenStream {
    let mut out = TokenStream::new();
    for tree in stream {
        match tree {
            TokenTree::Group(group) if group.delimiter() == Delimiter::None && !rng.chance(4) => {
                out.extend(flatten_none_groups(group.stream(), rng));
            }
            TokenTree::Group(group) => {
                let mut new =
                    Group::new(group.delimiter(), flatten_none_groups(group.stream(), rng));
                new.set_span(group.span());
                out.extend([TokenTree::Group(new)]);
            }
            other => out.extend([other]),
        }
    }
    out
}

fn random_input(rng: &mut Rng) -> TokenStream {
    let stream = random_stream(rng, 3);
    flatten_none_groups(stream, rng)
}

// ---------------------------------------------------------------------------------------
// Mutations.

/// Applies one to four mutations to `stream`, each at a random depth.
fn mutate(stream: TokenStream, rng: &mut Rng) -> TokenStream {
    let mut stream = stream;
    for _ in 0..=rng.below(4) {
        stream = mutate_once(stream, rng);
    }
    stream
}

fn mutate_once(stream: TokenStream, rng: &mut Rng) -> TokenStream {
    let mut trees: Vec<TokenTree> = stream.into_iter().collect();
    // Descend into a group with probability one half, if there is one.
    let groups: Vec<usize> = trees
        .iter()
        .enumerate()
        .filter(|(_, tree)| matches!(tree, TokenTree::Group(_)))
        .map(|(index, _)| index)
        .collect();
    if !groups.is_empty() && rng.chance(2) {
        let index = *rng.pick(&groups);
        if let TokenTree::Group(group) = &trees[index] {
            let mut new = Group::new(group.delimiter(), mutate_once(group.stream(), rng));
            new.set_span(group.span());
            trees[index] = TokenTree::Group(new);
        }
        return trees.into_iter().collect();
    }
    apply_mutation(&mut trees, rng);
    trees.into_iter().collect()
}

fn apply_mutation(trees: &mut Vec<TokenTree>, rng: &mut Rng) {
    if trees.is_empty() {
        trees.push(random_tree(rng, 2));
        return;
    }
    let index = rng.below(trees.len());
    match rng.below(9) {
        // Drop a token.
        0 => {
            trees.remove(index);
        }
        // Duplicate a token (or a run of them).
        1 => {
            let end = (index + 1 + rng.below(3)).min(trees.len());
            let run: Vec<TokenTree> = trees[index..end].to_vec();
            let at = rng.below(trees.len() + 1);
            trees.splice(at..at, run);
        }
        // Swap two tokens.
        2 => {
            let other = rng.below(trees.len());
            trees.swap(index, other);
        }
        // Truncate.
        3 => trees.truncate(index),
        // Replace an ident (or whatever is here) by a random ident.
        4 => {
            let target = find_kind(trees, index, |tree| matches!(tree, TokenTree::Ident(_)));
            trees[target] = random_ident(rng);
        }
        // Replace a literal by a random literal.
        5 => {
            let target = find_kind(trees, index, |tree| matches!(tree, TokenTree::Literal(_)));
            trees[target] = random_literal(rng);
        }
        // Replace a group: new contents, another delimiter, or emptied.
        6 => {
            let target = find_kind(trees, index, |tree| matches!(tree, TokenTree::Group(_)));
            let replacement = match (&trees[target], rng.below(3)) {
                (TokenTree::Group(group), 0) => {
                    TokenTree::Group(Group::new(*rng.pick(DELIMITERS), group.stream()))
                }
                (TokenTree::Group(group), 1) => {
                    TokenTree::Group(Group::new(group.delimiter(), TokenStream::new()))
                }
                _ => TokenTree::Group(Group::new(*rng.pick(DELIMITERS), random_input(rng))),
            };
            trees[target] = replacement;
        }
        // Insert a random token.
        7 => {
            let tree = random_tree(rng, 1);
            trees.insert(index, tree);
        }
        // Flip a punctuation's spacing, or replace it.
        _ => {
            let target = find_kind(trees, index, |tree| matches!(tree, TokenTree::Punct(_)));
            trees[target] = match &trees[target] {
                TokenTree::Punct(punct) if rng.chance(2) => {
                    let spacing = match punct.spacing() {
                        Spacing::Joint => Spacing::Alone,
                        Spacing::Alone => Spacing::Joint,
                    };
                    TokenTree::Punct(Punct::new(punct.as_char(), spacing))
                }
                _ => TokenTree::Punct(Punct::new(*rng.pick(PUNCTS), Spacing::Alone)),
            };
        }
    }
}

/// The first index at or after `start` (wrapping) whose tree matches, or `start`.
fn find_kind(trees: &[TokenTree], start: usize, matches: impl Fn(&TokenTree) -> bool) -> usize {
    (0..trees.len())
        .map(|offset| (start + offset) % trees.len())
        .find(|&index| matches(&trees[index]))
        .unwrap_or(start)
}

// ---------------------------------------------------------------------------------------
// Running a campaign.

thread_local! {
    /// Set while a fuzz case runs on this thread: the panic hook then records the message
    /// instead of printing it.
    static SILENCED: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Installs, once per process, a panic hook that stays quiet on fuzzing threads (recording
/// the message and location for the report) and defers to the previous hook elsewhere, so
/// other tests' panics still print.
fn install_quiet_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if SILENCED.with(Cell::get) {
                let location = info
                    .location()
                    .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()))
                    .unwrap_or_default();
                let payload = info
                    .payload()
                    .downcast_ref::<&str>()
                    .map(ToString::to_string)
                    .or_else(|| info.payload().downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "<non-string payload>".to_owned());
                LAST_PANIC.with(|last| *last.borrow_mut() = format!("{payload} at {location}"));
            } else {
                previous(info);
            }
        }));
    });
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|value| {
            let value = value.trim().replace('_', "");
            match value.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16).ok(),
                None => value.parse().ok(),
            }
        })
        .unwrap_or(default)
}

/// What one campaign saw.
struct Outcome {
    cases: u64,
    errors: u64,
    failures: Vec<String>,
}

/// One case: the call, caught. `Err` holds the panic message.
fn run_case(
    target: Target,
    args: &TokenStream,
    input: &TokenStream,
) -> Result<TokenStream, String> {
    SILENCED.with(|silenced| silenced.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(|| match target {
        Target::Attribute(expand) => expand(args.clone(), input.clone()),
        Target::Tokens(expand) => expand(input.clone()),
    }));
    SILENCED.with(|silenced| silenced.set(false));
    result.map_err(|_| LAST_PANIC.with(|last| last.borrow().clone()))
}

/// Whether an expansion contains a `compile_error!` (at any depth).
fn has_compile_error(stream: &TokenStream) -> bool {
    let mut previous_was_name = false;
    for tree in stream.clone() {
        match &tree {
            TokenTree::Ident(ident) => {
                previous_was_name = ident == "compile_error";
                continue;
            }
            TokenTree::Punct(punct) if previous_was_name && punct.as_char() == '!' => return true,
            TokenTree::Group(group) if has_compile_error(&group.stream()) => return true,
            _ => {}
        }
        previous_was_name = false;
    }
    false
}

fn campaign(
    name: &str,
    target: Target,
    corpus: &[(TokenStream, TokenStream)],
    salt: u64,
) -> Outcome {
    install_quiet_hook();
    let cases = env_u64("ASYNC_EXT_FUZZ_CASES", DEFAULT_CASES);
    let seed = env_u64("ASYNC_EXT_FUZZ_SEED", DEFAULT_SEED);
    let mut rng = Rng(seed ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let mut outcome = Outcome {
        cases,
        errors: 0,
        failures: Vec::new(),
    };
    for case in 0..cases {
        let (args, input) = if case % 2 == 0 || corpus.is_empty() {
            // Random trees; for attributes, arguments are random only now and then.
            let args = if rng.chance(4) {
                random_input(&mut rng)
            } else {
                TokenStream::new()
            };
            (args, random_input(&mut rng))
        } else {
            let (args, input) = rng.pick(corpus).clone();
            let args = if rng.chance(4) {
                mutate(args, &mut rng)
            } else {
                args
            };
            let input = if rng.chance(8) {
                input
            } else {
                mutate(input, &mut rng)
            };
            (args, input)
        };
        match run_case(target, &args, &input) {
            Ok(output) => {
                if has_compile_error(&output) {
                    outcome.errors += 1;
                }
                // The expansion must be tokens the compiler can take back, when the input was
                // (a stray `'` made by a mutation cannot come from rustc's lexer, and the
                // fallback item echoes it).
                let lexable =
                    |stream: &TokenStream| TokenStream::from_str(&stream.to_string()).is_ok();
                let relexed = (lexable(&args) && lexable(&input))
                    .then(|| TokenStream::from_str(&output.to_string()));
                if let Some(Err(error)) = relexed {
                    outcome.failures.push(report(
                        name,
                        case,
                        &args,
                        &input,
                        &format!("the expansion does not lex again: {error}"),
                    ));
                }
            }
            Err(message) => outcome
                .failures
                .push(report(name, case, &args, &input, &message)),
        }
        if outcome.failures.len() >= MAX_REPORTED {
            break;
        }
        // Long campaigns report progress, so a stopped run still says how far it got.
        if (case + 1) % PROGRESS_EVERY == 0 && case + 1 < cases {
            eprintln!(
                "never_panic {name}: {} cases so far, errors = {}, panics = {}",
                case + 1,
                outcome.errors,
                outcome.failures.len()
            );
        }
    }
    eprintln!(
        "never_panic {name}: cases = {cases}, seed = {seed:#x}, errors = {}, panics = {}",
        outcome.errors,
        outcome.failures.len()
    );
    outcome
}

fn report(name: &str, case: u64, args: &TokenStream, input: &TokenStream, message: &str) -> String {
    let mut text = format!("{name}, case {case}: {message}\n");
    if !args.is_empty() {
        let _ = writeln!(text, "  args:  {args}");
    }
    let _ = writeln!(text, "  input: {input}");
    text
}

fn parse(source: &str) -> TokenStream {
    TokenStream::from_str(source)
        .unwrap_or_else(|error| panic!("corpus entry does not lex: {error}: {source}"))
}

fn attribute_corpus(entries: &[(&str, &str)]) -> Vec<(TokenStream, TokenStream)> {
    entries
        .iter()
        .map(|(args, input)| (parse(args), parse(input)))
        .collect()
}

fn tokens_corpus(entries: &[&str]) -> Vec<(TokenStream, TokenStream)> {
    entries
        .iter()
        .map(|input| (TokenStream::new(), parse(input)))
        .collect()
}

fn check(name: &str, target: Target, corpus: &[(TokenStream, TokenStream)], salt: u64) {
    let outcome = campaign(name, target, corpus, salt);
    assert!(
        outcome.failures.is_empty(),
        "`{name}` panicked (or produced tokens that do not lex) on {} of {} inputs; \
         rerun with the same ASYNC_EXT_FUZZ_SEED to reproduce:\n{}",
        outcome.failures.len(),
        outcome.cases,
        outcome.failures.join("\n")
    );
}

// ---------------------------------------------------------------------------------------
// One test per macro, so they run in parallel and fail separately.

#[test]
fn async_trait_ext_never_panics() {
    check(
        "async_trait_ext",
        Target::Attribute(crate::traits::expand),
        &attribute_corpus(TRAITS),
        1,
    );
}

#[test]
fn async_closure_never_panics() {
    check(
        "async_closure",
        Target::Tokens(crate::closures::expand),
        &tokens_corpus(CLOSURES),
        2,
    );
}

#[test]
fn stream_never_panics() {
    check(
        "stream",
        Target::Tokens(stream_macro_plain),
        &tokens_corpus(STREAM_MACROS),
        3,
    );
}

#[test]
fn try_stream_never_panics() {
    let mut corpus = tokens_corpus(STREAM_MACROS);
    corpus.extend(tokens_corpus(TRY_STREAM_MACROS));
    check("try_stream", Target::Tokens(stream_macro_try), &corpus, 4);
}

#[test]
fn async_stream_never_panics() {
    check(
        "async_stream",
        Target::Attribute(stream_fn_plain),
        &attribute_corpus(STREAM_FNS),
        5,
    );
}

#[test]
fn async_try_stream_never_panics() {
    check(
        "async_try_stream",
        Target::Attribute(stream_fn_try),
        &attribute_corpus(TRY_STREAM_FNS),
        6,
    );
}

#[test]
fn for_await_never_panics() {
    check(
        "for_await",
        Target::Attribute(crate::common::for_await::expand_attribute),
        &attribute_corpus(FOR_AWAITS),
        7,
    );
}

#[test]
fn async_scope_never_panics() {
    check(
        "async_scope",
        Target::Attribute(crate::async_drop::expand_scope),
        &attribute_corpus(SCOPES),
        8,
    );
}

#[test]
fn derive_async_drop_never_panics() {
    check(
        "derive_async_drop",
        Target::Tokens(crate::async_drop::expand_derive),
        &tokens_corpus(DERIVES),
        9,
    );
}

// ---------------------------------------------------------------------------------------
// The harness itself: it must see a panic when there is one, and the corpus must be valid.

#[test]
fn harness_catches_and_reports_a_panic() {
    fn panics_on_question_mark(input: TokenStream) -> TokenStream {
        let text = input.to_string();
        assert!(!text.contains('?'), "saw a question mark");
        input
    }
    install_quiet_hook();
    let input = parse("a ? b");
    let message = run_case(
        Target::Tokens(panics_on_question_mark),
        &TokenStream::new(),
        &input,
    )
    .expect_err("the panic must be caught");
    assert!(message.starts_with("saw a question mark at "), "{message}");
    assert!(message.contains("never_panic.rs"), "{message}");
    // The thread is usable afterwards and reports success as success.
    let output = run_case(
        Target::Tokens(panics_on_question_mark),
        &TokenStream::new(),
        &parse("a b"),
    )
    .expect("no panic");
    assert_eq!(output.to_string(), "a b");
}

#[test]
fn compile_error_detection() {
    assert!(has_compile_error(&parse(
        ":: core :: compile_error ! { \"x\" }"
    )));
    assert!(has_compile_error(&parse(
        "fn f() { compile_error!(\"x\"); }"
    )));
    assert!(!has_compile_error(&parse(
        "fn compile_error() {} compile_error ;"
    )));
}

#[test]
fn mutations_change_inputs_and_stay_deterministic() {
    let input = parse(TRAITS[0].1);
    let run = |seed| {
        let mut rng = Rng(seed);
        (0..50)
            .map(|_| mutate(input.clone(), &mut rng).to_string())
            .collect::<Vec<_>>()
    };
    let first = run(7);
    assert_eq!(first, run(7), "the same seed gives the same cases");
    assert_ne!(first, run(8));
    let changed = first
        .iter()
        .filter(|text| **text != input.to_string())
        .count();
    assert!(
        changed >= 45,
        "only {changed} of 50 mutations changed the input"
    );
}

/// The unmutated corpus is valid: every macro that has landed expands each entry without an
/// error (so the mutations start from inputs that reach the expansion, not just the parser).
/// Entries meant to be rejected are listed with the error they must give.
#[test]
fn corpus_expands_without_errors() {
    let mut problems = Vec::new();
    let mut check_entry = |name: &str, target: Target, args: &str, input: &str| {
        let output = match run_case(target, &parse(args), &parse(input)) {
            Ok(output) => output,
            Err(message) => {
                problems.push(format!("{name}: panicked: {message}\n  input: {input}"));
                return;
            }
        };
        let text = output.to_string();
        let stub = text.contains("is not implemented yet");
        let must_fail = input.contains("async move |") || input.contains("async |x| x");
        if !stub && has_compile_error(&output) != must_fail {
            problems.push(format!(
                "{name}: expected error = {must_fail}, got:\n  {text}\n  input: {input}"
            ));
        }
    };
    install_quiet_hook();
    for (args, input) in TRAITS {
        check_entry(
            "async_trait_ext",
            Target::Attribute(crate::traits::expand),
            args,
            input,
        );
    }
    for input in CLOSURES {
        check_entry(
            "async_closure",
            Target::Tokens(crate::closures::expand),
            "",
            input,
        );
    }
    for input in STREAM_MACROS {
        check_entry("stream", Target::Tokens(stream_macro_plain), "", input);
        check_entry("try_stream", Target::Tokens(stream_macro_try), "", input);
    }
    for input in TRY_STREAM_MACROS {
        check_entry("try_stream", Target::Tokens(stream_macro_try), "", input);
    }
    for (args, input) in STREAM_FNS {
        check_entry(
            "async_stream",
            Target::Attribute(stream_fn_plain),
            args,
            input,
        );
    }
    for (args, input) in TRY_STREAM_FNS {
        check_entry(
            "async_try_stream",
            Target::Attribute(stream_fn_try),
            args,
            input,
        );
    }
    for (args, input) in FOR_AWAITS {
        check_entry(
            "for_await",
            Target::Attribute(crate::common::for_await::expand_attribute),
            args,
            input,
        );
    }
    for (args, input) in SCOPES {
        check_entry(
            "async_scope",
            Target::Attribute(crate::async_drop::expand_scope),
            args,
            input,
        );
    }
    for input in DERIVES {
        check_entry(
            "derive_async_drop",
            Target::Tokens(crate::async_drop::expand_derive),
            "",
            input,
        );
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
