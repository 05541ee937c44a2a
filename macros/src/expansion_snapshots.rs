//! Expansion snapshots: the guide's "what it expands to" examples, expanded by the macros'
//! logic and compared with checked-in files, so neither the snapshots nor the guide can drift
//! from the code unnoticed.
//!
//! `tests/expand/NAME.rs` holds one macro call, written as a user writes it (an item under one
//! of our attributes, or `stream! { … }` / `async_closure!(…)` as an item); the test expands it
//! (function-like macros get `(::async_ext)` in front, as their `macro_rules!` wrapper passes
//! `($crate)`), pretty-prints the result with prettyplease and compares it with
//! `tests/expand/NAME.expanded.rs`. After a deliberate change of an expansion, rewrite the
//! snapshots, then review their diff:
//!
//! ```text
//! ASYNC_EXT_BLESS=1 cargo test -p async-ext-macros expansion_snapshots
//! ```
//!
//! The guide quotes the snapshots. A code block of `support/src/guide/*.md` preceded by the
//! line `<!-- snapshot: FILE -->` (FILE is `NAME.rs` or `NAME.expanded.rs`) must equal that file
//! up to whitespace, with these liberties for readability:
//!
//! * a line that is only `// …` (optionally followed by words) stands for any text, as does
//!   `…` inside a line: the guide elides what does not matter to the point it makes;
//! * other comments, whole-line or trailing (`// …` starting after whitespace), are the
//!   guide's notes, not part of the quote; doc comments (`///`) are quoted code;
//! * lines starting with `# ` (rustdoc's hidden lines) are part of the quote;
//! * a trailing comma before a closing delimiter (or a closure's closing `|`) does not count.
//!
//! (Blessing runs beside the guide's check, which may then read the old snapshots: run the
//! tests again after blessing.)
//!
//! Every guide chapter with a "What it expands to" section must quote at least one snapshot.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

/// The environment variable that rewrites the snapshots instead of comparing them.
const BLESS: &str = "ASYNC_EXT_BLESS";

/// The marker before a guide code block that quotes a snapshot file.
const QUOTE_MARKER: &str = "<!-- snapshot: ";

/// The guide's elision mark.
const ELISION: char = '…';

fn snapshot_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/expand")
}

fn guide_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../support/src/guide")
}

// ---------------------------------------------------------------------------------------
// Expanding an input file.

/// The attributes whose item is handed to an attribute macro's logic.
fn expand_attribute(name: &str, args: TokenStream, item: TokenStream) -> Option<TokenStream> {
    use crate::streams::Flavor;
    Some(match name {
        "async_trait_ext" => crate::traits::expand(args, item),
        "async_stream" => crate::streams::expand_stream_fn(args, item, Flavor::Plain),
        "async_try_stream" => crate::streams::expand_stream_fn(args, item, Flavor::Try),
        "for_await" => crate::common::for_await::expand_attribute(args, item),
        "async_scope" => crate::async_drop::expand_scope(args, item),
        _ => return None,
    })
}

/// The function-like macros, called as their `macro_rules!` wrapper calls them.
fn expand_function_like(name: &str, tokens: TokenStream) -> Option<TokenStream> {
    use crate::streams::Flavor;
    let input = quote!((::async_ext) #tokens);
    Some(match name {
        "stream" => crate::streams::expand_stream_macro(input, Flavor::Plain),
        "try_stream" => crate::streams::expand_stream_macro(input, Flavor::Try),
        "async_closure" => crate::closures::expand(input),
        _ => return None,
    })
}

/// Input: the text of `NAME.rs`, one item. Output: the macro's expansion, pretty-printed.
fn expand_file(name: &str, source: &str) -> Result<String, String> {
    let file: syn::File = syn::parse_str(source).map_err(|e| format!("{name}.rs: {e}"))?;
    let [item] = <[syn::Item; 1]>::try_from(file.items)
        .map_err(|_| format!("{name}.rs: write exactly one item (one macro call)"))?;
    let expansion = match item {
        syn::Item::Macro(call) => {
            let macro_name = call.mac.path.to_token_stream().to_string();
            expand_function_like(&macro_name, call.mac.tokens)
                .ok_or_else(|| format!("{name}.rs: `{macro_name}!` is not one of our macros"))?
        }
        mut item => {
            let attrs = item_attrs(&mut item)
                .ok_or_else(|| format!("{name}.rs: expected a trait, an impl or a fn"))?;
            let position = attrs
                .iter()
                .position(|attr| attr.path().get_ident().is_some_and(is_our_attribute))
                .ok_or_else(|| format!("{name}.rs: the item carries none of our attributes"))?;
            let attr = attrs.remove(position);
            let macro_name = attr.path().to_token_stream().to_string();
            let args = match attr.meta {
                syn::Meta::List(list) => list.tokens,
                _ => TokenStream::new(),
            };
            expand_attribute(&macro_name, args, item.into_token_stream())
                .ok_or_else(|| format!("{name}.rs: `#[{macro_name}]` is not one of ours"))?
        }
    };
    let text = expansion.to_string();
    if text.contains("compile_error") {
        return Err(format!("{name}.rs expands to an error:\n{text}"));
    }
    pretty_print(expansion).map_err(|e| format!("{name}.rs: the expansion does not parse: {e}"))
}

fn is_our_attribute(ident: &syn::Ident) -> bool {
    expand_attribute(&ident.to_string(), TokenStream::new(), TokenStream::new()).is_some()
}

fn item_attrs(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    match item {
        syn::Item::Trait(item) => Some(&mut item.attrs),
        syn::Item::Impl(item) => Some(&mut item.attrs),
        syn::Item::Fn(item) => Some(&mut item.attrs),
        _ => None,
    }
}

/// Items print as a file; an expression (a function-like macro's expansion) prints as it
/// would in a fn's body, without the fn.
fn pretty_print(expansion: TokenStream) -> syn::Result<String> {
    if let Ok(file) = syn::parse2::<syn::File>(expansion.clone()) {
        return Ok(prettyplease::unparse(&file));
    }
    let expr: syn::Expr = syn::parse2(expansion)?;
    let file: syn::File = syn::parse_quote!(
        fn expansion() {
            #expr
        }
    );
    let printed = prettyplease::unparse(&file);
    let lines: Vec<&str> = printed.lines().collect();
    // Drop `fn expansion() {` and its `}`, and their indentation.
    let body = &lines[1..lines.len() - 1];
    let mut text = String::new();
    for line in body {
        writeln!(text, "{}", line.strip_prefix("    ").unwrap_or(line)).unwrap();
    }
    Ok(text)
}

// ---------------------------------------------------------------------------------------
// Comparing with the checked-in snapshots.

/// The names `NAME` of every `tests/expand/NAME.rs`, sorted.
fn snapshot_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(snapshot_dir())
        .expect("macros/tests/expand exists")
        .map(|entry| entry.expect("readable directory").file_name())
        .filter_map(|file| {
            let file = file.to_str()?.to_owned();
            let name = file.strip_suffix(".rs")?;
            (!name.ends_with(".expanded")).then(|| name.to_owned())
        })
        .collect();
    names.sort();
    names
}

#[test]
fn expansions_match_snapshots() {
    let bless = std::env::var_os(BLESS).is_some_and(|value| value != "0");
    let names = snapshot_names();
    assert!(
        !names.is_empty(),
        "no snapshot inputs in {}",
        snapshot_dir().display()
    );
    let mut failures = String::new();
    for name in &names {
        let input_path = snapshot_dir().join(format!("{name}.rs"));
        let expected_path = snapshot_dir().join(format!("{name}.expanded.rs"));
        let source = std::fs::read_to_string(&input_path).expect("readable input");
        let actual = match expand_file(name, &source) {
            Ok(actual) => actual,
            Err(message) => {
                writeln!(failures, "{message}\n").unwrap();
                continue;
            }
        };
        if bless {
            std::fs::write(&expected_path, &actual).expect("writable snapshot");
            continue;
        }
        match std::fs::read_to_string(&expected_path) {
            Ok(expected) if expected == actual => {}
            Ok(expected) => {
                writeln!(
                    failures,
                    "{name}: the expansion changed\n{}",
                    diff(&expected, &actual)
                )
                .unwrap();
            }
            Err(_) => writeln!(failures, "{name}: no {name}.expanded.rs yet\n").unwrap(),
        }
    }
    assert!(
        failures.is_empty(),
        "{failures}If the change is meant, rerun with {BLESS}=1, review the snapshots' diff and \
         update the guide's quotes (support/src/guide)."
    );
}

/// The first lines that differ, with a little context.
fn diff(expected: &str, actual: &str) -> String {
    let expected: Vec<&str> = expected.lines().collect();
    let actual: Vec<&str> = actual.lines().collect();
    let first = expected
        .iter()
        .zip(&actual)
        .position(|(e, a)| e != a)
        .unwrap_or(expected.len().min(actual.len()));
    let mut out = format!("first difference at line {}:\n", first + 1);
    for line in expected.iter().skip(first).take(6) {
        writeln!(out, "  - {line}").unwrap();
    }
    for line in actual.iter().skip(first).take(6) {
        writeln!(out, "  + {line}").unwrap();
    }
    out
}

// ---------------------------------------------------------------------------------------
// The guide's quotes.

/// One guide code block that quotes a snapshot file.
struct Quote {
    chapter: String,
    line: usize,
    file: String,
    text: String,
}

/// Every block of `markdown` preceded by `<!-- snapshot: FILE -->`.
fn quotes_in(chapter: &str, markdown: &str) -> Vec<Quote> {
    let mut quotes = Vec::new();
    let mut lines = markdown.lines().enumerate();
    while let Some((index, line)) = lines.next() {
        let Some(file) = line.trim().strip_prefix(QUOTE_MARKER) else {
            continue;
        };
        let file = file.trim_end_matches("-->").trim().to_owned();
        let fence = lines.next().map(|(_, fence)| fence.trim_start());
        assert!(
            fence.is_some_and(|fence| fence.starts_with("```")),
            "{chapter}:{}: a code block must follow the snapshot marker",
            index + 1
        );
        let text: Vec<&str> = lines
            .by_ref()
            .map(|(_, line)| line)
            .take_while(|line| !line.trim_start().starts_with("```"))
            .collect();
        quotes.push(Quote {
            chapter: chapter.to_owned(),
            line: index + 1,
            file,
            text: text.join("\n"),
        });
    }
    quotes
}

/// A guide block as a pattern over the quoted file with its whitespace removed: notes
/// dropped, elisions turned into `…`.
fn quote_pattern(quote: &str) -> String {
    let mut pattern = String::new();
    for line in quote.lines() {
        let line = line.trim();
        let line = line.strip_prefix("# ").unwrap_or(line);
        let doc_comment = line.starts_with("///") || line.starts_with("//!");
        if let Some(note) = line.strip_prefix("//").filter(|_| !doc_comment) {
            if note.trim_start().starts_with(ELISION) {
                pattern.push(ELISION);
            }
            continue;
        }
        let code = match line.find(" //") {
            Some(note) => &line[..note],
            None => line,
        };
        pattern.push_str(code);
    }
    squeeze(&pattern)
}

/// `text` without whitespace and without trailing commas (a comma before a closing
/// delimiter): what the guide may lay out differently from prettyplease.
fn squeeze(text: &str) -> String {
    let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    let mut squeezed = String::with_capacity(chars.len());
    for (index, &c) in chars.iter().enumerate() {
        let closes_next = chars
            .get(index + 1)
            .is_some_and(|next| ")]}>|".contains(*next));
        if !(c == ',' && closes_next) {
            squeezed.push(c);
        }
    }
    squeezed
}

/// Whether `text` matches `pattern`, in which `…` stands for any run of characters.
fn matches_with_elisions(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    // Greedy glob matching with backtracking to the last elision.
    let (mut p, mut t) = (0, 0);
    let mut resume: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && pattern[p] == ELISION {
            resume = Some((p, t));
            p += 1;
        } else if p < pattern.len() && pattern[p] == text[t] {
            p += 1;
            t += 1;
        } else if let Some((elision, start)) = resume {
            p = elision + 1;
            t = start + 1;
            resume = Some((elision, start + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == ELISION)
}

/// Where a guide block first leaves the quoted file (for the failure message).
fn first_unmatched_line(quote: &str, quoted: &str) -> String {
    let lines: Vec<&str> = quote.lines().collect();
    let quoted = squeeze(quoted);
    for end in 1..=lines.len() {
        let prefix = quote_pattern(&lines[..end].join("\n"));
        // The line's trailing comma may be one the squeezed file drops before a delimiter.
        let prefix = prefix.strip_suffix(',').unwrap_or(&prefix);
        if !matches_with_elisions(&format!("{prefix}{ELISION}"), &quoted) {
            return lines[end - 1].trim().to_owned();
        }
    }
    "(the end of the block: the file goes on; end the block with `// …`)".to_owned()
}

#[test]
fn guide_quotes_match_snapshots() {
    let mut chapters: Vec<PathBuf> = std::fs::read_dir(guide_dir())
        .expect("support/src/guide exists")
        .map(|entry| entry.expect("readable directory").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    chapters.sort();
    let mut failures = String::new();
    let mut quoted_files = 0;
    for path in &chapters {
        let chapter = path.file_name().unwrap().to_string_lossy().into_owned();
        let markdown = std::fs::read_to_string(path).expect("readable chapter");
        let quotes = quotes_in(&chapter, &markdown);
        if markdown.contains("What it expands to") && quotes.is_empty() {
            writeln!(
                failures,
                "{chapter}: its \"What it expands to\" quotes no snapshot"
            )
            .unwrap();
        }
        for quote in quotes {
            quoted_files += 1;
            let Ok(snapshot) = std::fs::read_to_string(snapshot_dir().join(&quote.file)) else {
                writeln!(
                    failures,
                    "{}:{}: no snapshot {}",
                    quote.chapter, quote.line, quote.file
                )
                .unwrap();
                continue;
            };
            if !matches_with_elisions(&quote_pattern(&quote.text), &squeeze(&snapshot)) {
                writeln!(
                    failures,
                    "{}:{}: the block does not match {}; it departs at: {}",
                    quote.chapter,
                    quote.line,
                    quote.file,
                    first_unmatched_line(&quote.text, &snapshot)
                )
                .unwrap();
            }
        }
    }
    assert!(quoted_files > 0, "the guide quotes no snapshot");
    assert!(failures.is_empty(), "{failures}");
}

#[test]
fn elisions_match_what_they_stand_for_and_nothing_else() {
    let quoted = &squeeze("fn f() { let x = 1; let y = (2, 3,); x + y }");
    assert!(matches_with_elisions(
        &quote_pattern("fn f() {\n// …\n    x + y\n}"),
        quoted
    ));
    assert!(matches_with_elisions(
        &quote_pattern("fn f() { let x = …; … }"),
        quoted
    ));
    assert!(matches_with_elisions(
        &quote_pattern("fn f() { // a note\n… x + y }"),
        quoted
    ));
    assert!(!matches_with_elisions(
        &quote_pattern("fn f() { let x = 1; x + y }"),
        quoted
    ));
    assert!(!matches_with_elisions(
        &quote_pattern("fn f() { … x - y }"),
        quoted
    ));
    assert!(matches_with_elisions(
        &quote_pattern("fn f() { … y = (2, 3); x + y }"),
        quoted
    ));
    assert!(!matches_with_elisions(&quote_pattern("fn f() {"), quoted));
}
