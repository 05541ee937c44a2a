//! The path generated code uses to reach the runtime crate.
//!
//! Function-like macros are `macro_rules!` wrappers in the support crate that put `($crate)` in
//! front of the user's tokens, so renaming always works for them. Attribute and derive macros
//! get no `$crate`: they take `crate = path` when given, and otherwise find the name the
//! calling crate gave the dependency in its own manifest (`ext = { package = "async-ext" }`
//! gives `::ext`), as a user renaming a dependency expects; `::async_ext` when the manifest
//! names no rename (or cannot be read).
//!
//! Reading the manifest: `CARGO_MANIFEST_DIR/Cargo.toml`, plus the workspace root's for
//! `ext = { workspace = true }`, scanned line by line (no TOML parser: the library's
//! dependencies stay syn, quote and proc-macro2). The answer is cached per manifest (and its
//! modification time, and the workspace root's when that was read) for the life of the
//! compiler process, so a crate pays for one read however many attributes it uses. Measured
//! on this repository's manifests with the macros built as cargo builds proc macros by default
//! (unoptimised): 0.35 to 0.85 ms for the first expansion of a crate (the
//! upper figure reads the workspace root too), then 9 µs per expansion (a `stat` of the
//! manifest and the cache lookup); optimised, 0.05 to 0.08 ms and 2.5 µs.
//!
//! `crate = path` is still needed, and wins, when the macros are reached through another crate
//! that re-exports async-ext (a facade), since the calling manifest then names no `async-ext`.
//! In that case, when the manifest does not mention async-ext at all and an expansion names
//! `::async_ext`, the entry points emit one error naming `crate = …` and the item without its
//! expansion ([`unreachable_runtime_error`], [`without_expansion`]). Inside
//! `#[async_trait_ext(crate = P)]`, the nested attributes on its methods get `crate = P` too
//! ([`pass_on`]).

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::SystemTime;

use proc_macro2::{Delimiter, Ident, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote};
use syn::{Attribute, Item, Meta};

/// The runtime crate's package name, as written in manifests.
const PACKAGE: &str = "async-ext";
/// The path generated code uses without a rename: `::async_ext`.
const DEFAULT_NAME: &str = "async_ext";
/// The attributes of this crate, which nest inside each other's items.
const OUR_ATTRIBUTES: &[&str] = &[
    "async_trait_ext",
    "async_stream",
    "async_try_stream",
    "async_scope",
    "for_await",
    "async_drop",
];

/// A path to the support crate, as the user (or `$crate`) spelled it.
#[derive(Clone)]
pub(crate) struct CratePath {
    path: TokenStream,
    /// Spelled by the user (`crate = …`) or by `$crate`, not found from the manifest.
    given: bool,
}

impl CratePath {
    pub(crate) fn from_tokens(tokens: TokenStream) -> Self {
        CratePath {
            path: tokens,
            given: true,
        }
    }

    /// Whether generated code can name this path from the crate being compiled: always when
    /// given (`crate = …`, `$crate`), and when the crate's manifest mentions async-ext (or
    /// cannot be read). Not when the attribute came through a crate that re-exports it to a
    /// user with no async-ext dependency: boxed mode then leaves out the one part that needs
    /// the runtime (an impl's asyncness probe) rather than fail.
    pub(crate) fn is_reachable(&self) -> bool {
        self.given || manifest_facts().is_none_or(|facts| facts.depends_on_runtime)
    }

    /// `PATH::__private`: the one module generated code calls into.
    pub(crate) fn private(&self) -> TokenStream {
        let path = &self.path;
        quote!(#path::__private)
    }
}

impl Default for CratePath {
    /// `::NAME`, where NAME is what the calling crate calls `async-ext` (see the module docs);
    /// `::async_ext` when that name cannot be a path (the entry point then reports it).
    fn default() -> Self {
        let ident = manifest_facts()
            .and_then(|facts| facts.renamed)
            .and_then(|name| runtime_ident(&name).ok())
            .unwrap_or_else(|| Ident::new(DEFAULT_NAME, Span::call_site()));
        CratePath {
            path: quote!(::#ident),
            given: false,
        }
    }
}

impl ToTokens for CratePath {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        self.path.to_tokens(tokens);
    }
}

/// The identifier for a dependency key in path form (`my_ext`): raw for a keyword
/// (`async` → `r#async`); `Err` for a name no path can start with (`self`, `crate`, `super`,
/// `Self`, or not an identifier at all), checked before `Ident::new`, which would panic.
fn runtime_ident(name: &str) -> Result<Ident, ()> {
    let mut chars = name.chars();
    let starts_well = chars
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == '_');
    let is_identifier =
        starts_well && name != "_" && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !is_identifier || matches!(name, "self" | "crate" | "super" | "Self") {
        return Err(());
    }
    // syn rejects exactly the keywords; `gen` is reserved in edition 2024 only.
    if syn::parse_str::<syn::Ident>(name).is_err() || name == "gen" {
        return Ok(Ident::new_raw(name, Span::call_site()));
    }
    Ok(Ident::new(name, Span::call_site()))
}

/// Splits `($crate) rest…` as handed over by a `macro_rules!` wrapper. Tokens without that
/// prefix (someone invoking the hidden macro directly) fall back to the default path.
pub(crate) fn split_dollar_crate(input: TokenStream) -> (CratePath, TokenStream) {
    // (No let-chain: the code builds with Rust 1.85.)
    let mut iter = input.clone().into_iter();
    match iter.next() {
        Some(TokenTree::Group(group))
            if group.delimiter() == Delimiter::Parenthesis && !group.stream().is_empty() =>
        {
            (CratePath::from_tokens(group.stream()), iter.collect())
        }
        _ => (CratePath::default(), input),
    }
}

/// Gives each of our attributes on the methods of `item` (`#[async_stream]`, `#[async_scope]`,
/// …, which expand after the outer `#[async_trait_ext(crate = P)]`) that has no `crate = …`
/// of its own the outer one's `crate = P`, as a user writing it once on the trait expects.
/// Nothing to do when `krate` was found from the manifest: nested attributes find it the same
/// way.
// Input: `#[async_stream(item = u32)]`, `#[async_scope]`, with `krate` = `::facade::async_ext`
// Output: `#[async_stream(item = u32, crate = ::facade::async_ext)]`,
//         `#[async_scope(crate = ::facade::async_ext)]`
pub(crate) fn pass_on(item: &mut Item, krate: &CratePath) {
    if !krate.given {
        return;
    }
    // Loops, not iterator chains: this runs once per item, and each closure of a chain would
    // compile its own copy of the iterator code.
    let mut methods: Vec<&mut Vec<Attribute>> = Vec::new();
    match item {
        Item::Trait(item_trait) => {
            for item in &mut item_trait.items {
                if let syn::TraitItem::Fn(method) = item {
                    methods.push(&mut method.attrs);
                }
            }
        }
        Item::Impl(item_impl) => {
            for item in &mut item_impl.items {
                if let syn::ImplItem::Fn(method) = item {
                    methods.push(&mut method.attrs);
                }
            }
        }
        _ => {}
    }
    let path = &krate.path;
    for attrs in methods {
        for attr in attrs {
            if !is_ours(attr) || is_own_method_option(attr) {
                continue;
            }
            let name = attr.path().clone();
            let options = match &attr.meta {
                Meta::Path(_) => quote!(crate = #path),
                Meta::List(list) if names_crate_option(list.tokens.clone()) => continue,
                Meta::List(list) if list.tokens.is_empty() => quote!(crate = #path),
                Meta::List(list) => {
                    let options = &list.tokens;
                    quote!(#options, crate = #path)
                }
                // `#[async_stream = …]` is wrong anyway: left for that attribute's own error.
                Meta::NameValue(_) => continue,
            };
            attr.meta = syn::parse_quote!(#name(#options));
        }
    }
}

/// `#[async_trait_ext(?Send)]` on a method: the outer attribute's own option, not a nested one.
fn is_own_method_option(attr: &Attribute) -> bool {
    (attr.path().segments.last()).is_some_and(|segment| segment.ident == "async_trait_ext")
}

/// Whether `attr` is one of ours, however its path is spelled (`#[async_stream]`,
/// `#[facade::async_stream]`).
fn is_ours(attr: &Attribute) -> bool {
    attr.path()
        .segments
        .last()
        .is_some_and(|segment| OUR_ATTRIBUTES.iter().any(|name| segment.ident == name))
}

/// Whether `tokens` (at any depth) contain `crate =`.
fn names_crate_option(tokens: TokenStream) -> bool {
    let mut previous_was_crate = false;
    tokens.into_iter().any(|token| {
        let found = match &token {
            TokenTree::Punct(punct) => previous_was_crate && punct.as_char() == '=',
            TokenTree::Group(group) => names_crate_option(group.stream()),
            TokenTree::Ident(_) | TokenTree::Literal(_) => false,
        };
        previous_was_crate = matches!(&token, TokenTree::Ident(ident) if ident == "crate");
        found
    })
}

/// The error to emit instead of an `expansion` that names `::async_ext` (more often than the
/// user's own `input` does) when that path cannot resolve: the calling crate's manifest does
/// not mention async-ext at all (the macros come through a crate that re-exports them), or it
/// renames async-ext to a name no path can start with. rustc would only say "cannot find
/// `async_ext` in the crate root", once per generated path. Deciding from the expansion, not
/// the attribute, keeps quiet for expansions that need no runtime path. `attribute` is where
/// this macro takes the option: `async_trait_ext`, or `async_drop` for the derive.
pub(crate) fn unreachable_runtime_error(
    input: &TokenStream,
    expansion: &TokenStream,
    attribute: &str,
) -> Option<syn::Error> {
    runtime_error(&manifest_facts()?, input, expansion, attribute)
}

fn runtime_error(
    facts: &ManifestFacts,
    input: &TokenStream,
    expansion: &TokenStream,
    attribute: &str,
) -> Option<syn::Error> {
    let unusable_rename = facts.unusable_rename.as_deref();
    if facts.mentions_runtime && unusable_rename.is_none() {
        return None;
    }
    if default_paths(expansion.clone()) <= default_paths(input.clone()) {
        return None;
    }
    let message = match unusable_rename {
        Some(name) => format!(
            "this crate's Cargo.toml calls `async-ext` `{name}`, which cannot start a path, so \
             the code this macro writes cannot reach it: rename the dependency, or say where it \
             is, as in `#[{attribute}(crate = …)]`"
        ),
        None => format!(
            "this crate's Cargo.toml does not depend on `async-ext`, so the code this macro \
             writes cannot reach it: if the macro comes through a crate that re-exports \
             async-ext, say where it is, as in `#[{attribute}(crate = ::facade::async_ext)]`; \
             otherwise add `async-ext` to [dependencies]"
        ),
    };
    Some(syn::Error::new(Span::call_site(), message))
}

/// How many times `tokens` (at any depth) hold `::async_ext` as a path's first segment.
fn default_paths(tokens: TokenStream) -> usize {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut count = 0;
    for (index, token) in tokens.iter().enumerate() {
        match token {
            TokenTree::Group(group) => count += default_paths(group.stream()),
            TokenTree::Ident(ident) if ident == DEFAULT_NAME && index >= 2 => {
                // `::async_ext`, not `a::async_ext` or `<T>::async_ext`.
                let leading = index == 2
                    || match &tokens[index - 3] {
                        TokenTree::Ident(_) => false,
                        TokenTree::Punct(punct) => punct.as_char() != '>',
                        TokenTree::Group(_) | TokenTree::Literal(_) => true,
                    };
                if is_colon(&tokens[index - 1]) && is_colon(&tokens[index - 2]) && leading {
                    count += 1;
                }
            }
            _ => {}
        }
    }
    count
}

fn is_colon(token: &TokenTree) -> bool {
    matches!(token, TokenTree::Punct(punct) if punct.as_char() == ':')
}

/// What an attribute emits with [`unreachable_runtime_error`] instead of its expansion: the
/// item with every attribute of ours removed (nested ones would each add the same error) and
/// each fn body replaced by `loop {}` (bodies hold `yield_!`, `defer_async!` or marked loops,
/// which only the expansion makes valid, and whose arguments it then does not use). Callers
/// still see the item's names and signatures.
pub(crate) fn without_expansion(input: TokenStream) -> TokenStream {
    let Ok(mut item) = syn::parse2::<Item>(input) else {
        return TokenStream::new();
    };
    let stub = || -> syn::Block { syn::parse_quote!({ loop {} }) };
    let strip = |attrs: &mut Vec<Attribute>, sig: &mut syn::Signature| {
        attrs.retain(|attr| !is_ours(attr));
        // The stub body uses no argument: no warnings on top of the error.
        attrs.push(syn::parse_quote!(#[allow(unused_variables, unused_mut)]));
        for input in &mut sig.inputs {
            match input {
                syn::FnArg::Receiver(receiver) => receiver.attrs.retain(|attr| !is_ours(attr)),
                syn::FnArg::Typed(typed) => typed.attrs.retain(|attr| !is_ours(attr)),
            }
        }
    };
    match &mut item {
        Item::Fn(function) => {
            strip(&mut function.attrs, &mut function.sig);
            *function.block = stub();
        }
        Item::Trait(item_trait) => {
            item_trait.attrs.retain(|attr| !is_ours(attr));
            for trait_item in &mut item_trait.items {
                if let syn::TraitItem::Fn(method) = trait_item {
                    strip(&mut method.attrs, &mut method.sig);
                    if let Some(block) = &mut method.default {
                        *block = stub();
                    }
                }
            }
        }
        Item::Impl(item_impl) => {
            item_impl.attrs.retain(|attr| !is_ours(attr));
            for impl_item in &mut item_impl.items {
                if let syn::ImplItem::Fn(method) = impl_item {
                    strip(&mut method.attrs, &mut method.sig);
                    method.block = stub();
                }
            }
        }
        _ => {}
    }
    item.into_token_stream()
}

/// What the calling crate's manifest says about async-ext.
#[derive(Clone)]
struct ManifestFacts {
    /// The key it depends on async-ext under, when that is not `async-ext`, in path form.
    renamed: Option<String>,
    /// `renamed`, when no path can start with it (`self`, …): generated code falls back to
    /// `::async_ext` and the entry point says why.
    unusable_rename: Option<String>,
    /// Whether the text names async-ext at all (`async-ext` or `async_ext`, anywhere): when it
    /// does not, `::async_ext` cannot resolve. Deliberately crude, so it never errs on a
    /// manifest the scanner misreads.
    mentions_runtime: bool,
    /// Whether a dependency entry (normal or dev, inherited ones resolved) is async-ext, or the
    /// manifest is async-ext's own: stricter than `mentions_runtime`, for leaving out what a
    /// crate without the dependency cannot compile.
    depends_on_runtime: bool,
    /// The workspace root's manifest when it was read (for an inherited dependency), and its
    /// modification time then: an edit there changes the answer too.
    workspace_root: Option<(PathBuf, Option<SystemTime>)>,
}

/// The facts of `CARGO_MANIFEST_DIR/Cargo.toml` (`None` if it cannot be read).
fn manifest_facts() -> Option<ManifestFacts> {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR")?).join("Cargo.toml");
    cached_facts(manifest)
}

/// The facts of `manifest`, cached per path and modification time, so an IDE's long-lived
/// macro server sees edits: of the manifest (the key), and of the workspace root's manifest
/// when the answer came from it (checked on each hit, one more `stat`).
fn cached_facts(manifest: PathBuf) -> Option<ManifestFacts> {
    // A list, not a map: one entry per crate the process expands in, and a `HashMap` would
    // compile hashing and table code into the macro crate for it.
    type Cache = Mutex<Vec<(PathBuf, Option<SystemTime>, Option<ManifestFacts>)>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();

    let mtime = modified(&manifest);
    let cache = CACHE.get_or_init(Cache::default);
    let hit = cache
        .lock()
        .ok()?
        .iter()
        .find(|(path, then, _)| *path == manifest && *then == mtime)
        .map(|(_, _, facts)| facts.clone());
    if let Some(facts) = hit {
        let root_unchanged = facts
            .as_ref()
            .and_then(|facts| facts.workspace_root.as_ref())
            .is_none_or(|(root, then)| modified(root) == *then);
        if root_unchanged {
            return facts;
        }
    }
    let facts = read_manifest(&manifest);
    let mut cache = cache.lock().ok()?;
    cache.retain(|(path, _, _)| *path != manifest);
    cache.push((manifest, mtime, facts.clone()));
    facts
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path)
        .and_then(|metadata| metadata.modified())
        .ok()
}

/// Reads `manifest` (and, for inherited dependencies, its workspace root's manifest).
fn read_manifest(manifest: &Path) -> Option<ManifestFacts> {
    let text = std::fs::read_to_string(manifest).ok()?;
    let scanned = Manifest::scan(&text);
    let workspace = OnceLock::new();
    let workspace_root = || workspace.get_or_init(|| workspace_manifest(manifest));
    let workspace_text = || workspace_root().as_ref().map(|(_, text)| text.as_str());
    let key = runtime_key(&scanned, || {
        workspace_text()
            .map(|text| Manifest::scan(text).workspace_packages)
            .unwrap_or_default()
    });
    let depends_on_runtime = key.is_some();
    let renamed = key.as_deref().and_then(rename_of);
    // An inherited entry (`ext.workspace = true`) may be async-ext under a name that only the
    // workspace root's manifest explains.
    let inherits = scanned
        .dependencies
        .iter()
        .any(|dependency| dependency.inherited);
    let mentions_runtime =
        mentions_runtime(&text) || (inherits && workspace_text().is_none_or(mentions_runtime));
    let unusable_rename = renamed.clone().filter(|name| runtime_ident(name).is_err());
    Some(ManifestFacts {
        renamed,
        unusable_rename,
        mentions_runtime,
        depends_on_runtime,
        workspace_root: workspace
            .get()
            .and_then(Option::as_ref)
            .map(|(root, _)| (root.clone(), modified(root))),
    })
}

fn mentions_runtime(manifest: &str) -> bool {
    manifest.contains(PACKAGE) || manifest.contains(DEFAULT_NAME)
}

/// The name paths use for the dependency under `key`, when it is not `async-ext`
/// (`my-ext` → `my_ext`).
fn rename_of(key: &str) -> Option<String> {
    (key != PACKAGE).then(|| key.replace('-', "_"))
}

/// The key under which `manifest` depends on `async-ext` (`async-ext` itself for the runtime
/// crate's own manifest, whose tests, examples and doctests name it `async_ext`); `None` when
/// it does not depend on it. `workspace` gives the workspace root's
/// `[workspace.dependencies]`, read only when an entry inherits from it. An entry of
/// `[dependencies]` (or a target's) wins over one of `[dev-dependencies]`, as the library's own
/// code must compile with it; `[build-dependencies]` are for build.rs, which our macros never
/// expand in.
fn runtime_key(
    manifest: &Manifest,
    workspace: impl FnOnce() -> Vec<(String, String)>,
) -> Option<String> {
    if manifest.package_name.as_deref() == Some(PACKAGE) {
        return Some(PACKAGE.to_owned());
    }
    let inherits = manifest
        .dependencies
        .iter()
        .any(|dependency| dependency.inherited && dependency.package.is_none());
    let workspace = if inherits { workspace() } else { Vec::new() };
    let is_runtime = |dependency: &Dependency| {
        let package = match &dependency.package {
            Some(package) => package,
            None if dependency.inherited => (workspace.iter().rev())
                .find(|(key, _)| *key == dependency.key)
                .map_or(&dependency.key, |(_, package)| package),
            None => &dependency.key,
        };
        package == PACKAGE
    };
    [Table::Normal, Table::Dev].into_iter().find_map(|table| {
        (manifest.dependencies.iter())
            .find(|dependency| dependency.table == table && is_runtime(dependency))
            .map(|dependency| dependency.key.clone())
    })
}

/// The nearest manifest that has a `[workspace]` table, and its text: `manifest` itself or one
/// in a directory above it.
fn workspace_manifest(manifest: &Path) -> Option<(PathBuf, String)> {
    manifest.parent()?.ancestors().find_map(|dir| {
        let path = dir.join("Cargo.toml");
        let text = std::fs::read_to_string(&path).ok()?;
        // `[workspace]`, or a `[workspace.…]` table alone, which defines it too.
        text.lines()
            .map(str::trim)
            .any(|line| line == "[workspace]" || line.starts_with("[workspace."))
            .then_some((path, text))
    })
}

/// Which kind of dependency table an entry is in.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Table {
    Normal,
    Dev,
    Build,
}

/// One dependency entry: `key = "1"`, `key = { package = "p", workspace = true, … }`,
/// `key.package = "p"`, or a `[dependencies.key]` table.
#[derive(Debug, PartialEq)]
struct Dependency {
    key: String,
    package: Option<String>,
    inherited: bool,
    table: Table,
}

/// What this module needs of a manifest.
#[derive(Default)]
struct Manifest {
    /// `[package] name`.
    package_name: Option<String>,
    /// Every entry of every dependency table (`[dependencies]`, `[dev-dependencies]`,
    /// `[build-dependencies]`, their `[target.….…]` forms), in order.
    dependencies: Vec<Dependency>,
    /// `[workspace.dependencies]`: key and package name, in order (a later entry of a key
    /// wins).
    workspace_packages: Vec<(String, String)>,
}

/// The table a line of the manifest is in.
enum Section {
    Package,
    Dependencies(Table),
    /// `[dependencies.key]`: the index of its entry in `Manifest::dependencies`.
    Dependency(usize),
    WorkspaceDependencies,
    WorkspaceDependency(String),
    Other,
}

impl Manifest {
    // Input: a Cargo.toml, one key per line or one inline table per entry (a multi-line inline
    // table is joined until its braces balance).
    // Output: the package name and every dependency's key, package and `workspace = true`.
    fn scan(text: &str) -> Self {
        let mut manifest = Manifest::default();
        let mut section = Section::Other;
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            let mut line = strip_comment(line).trim().to_owned();
            if line.starts_with('[') {
                section = manifest.enter(line.trim_matches(|c| c == '[' || c == ']'));
                continue;
            }
            while open_braces(&line) > 0 {
                let Some(next) = lines.next() else { break };
                line.push(' ');
                line.push_str(strip_comment(next).trim());
            }
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            manifest.entry(&section, unquote(key.trim()), value.trim());
        }
        manifest
    }

    /// The section a `[header]` opens.
    fn enter(&mut self, header: &str) -> Section {
        let parts: Vec<String> = split_key(header);
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        let dependency_table = |name: &str| match name {
            "dependencies" => Some(Table::Normal),
            "dev-dependencies" | "dev_dependencies" => Some(Table::Dev),
            "build-dependencies" | "build_dependencies" => Some(Table::Build),
            _ => None,
        };
        match parts.as_slice() {
            ["package"] => Section::Package,
            ["workspace", "dependencies"] => Section::WorkspaceDependencies,
            ["workspace", "dependencies", key] => Section::WorkspaceDependency((*key).to_owned()),
            [table] | ["target", _, table] => {
                dependency_table(table).map_or(Section::Other, Section::Dependencies)
            }
            [table, key] | ["target", _, table, key] => {
                let Some(table) = dependency_table(table) else {
                    return Section::Other;
                };
                self.dependencies.push(Dependency {
                    key: (*key).to_owned(),
                    package: None,
                    inherited: false,
                    table,
                });
                Section::Dependency(self.dependencies.len() - 1)
            }
            _ => Section::Other,
        }
    }

    /// One `key = value` line of `section`.
    fn entry(&mut self, section: &Section, key: &str, value: &str) {
        match section {
            Section::Package if key == "name" => self.package_name = Some(unquote(value).into()),
            Section::Dependencies(table) => {
                let key_parts = split_key(key);
                let Some(name) = key_parts.first() else {
                    return;
                };
                let same_entry = |d: &&mut Dependency| &d.key == name && d.table == *table;
                let dependency = match self.dependencies.iter_mut().rev().find(same_entry) {
                    // `ext.package = "async-ext"` after `ext.path = "…"`.
                    Some(dependency) if key_parts.len() > 1 => dependency,
                    _ => {
                        self.dependencies.push(Dependency {
                            key: name.clone(),
                            package: None,
                            inherited: false,
                            table: *table,
                        });
                        self.dependencies.last_mut().expect("just pushed")
                    }
                };
                match key_parts.get(1).map(String::as_str) {
                    Some(field) => apply_field(dependency, field, value),
                    None => {
                        for (field, value) in inline_table(value) {
                            apply_field(dependency, &field, &value);
                        }
                    }
                }
            }
            Section::Dependency(index) => apply_field(&mut self.dependencies[*index], key, value),
            Section::WorkspaceDependencies => {
                let key_parts = split_key(key);
                let package = match key_parts.as_slice() {
                    [name] => inline_table(value)
                        .into_iter()
                        .find(|(field, _)| field == "package")
                        .map_or_else(|| name.clone(), |(_, package)| unquote(&package).to_owned()),
                    [_, field] if field == "package" => unquote(value).to_owned(),
                    _ => return,
                };
                if let Some(name) = key_parts.first() {
                    self.workspace_packages.push((name.clone(), package));
                }
            }
            Section::WorkspaceDependency(name) if key == "package" => {
                self.workspace_packages
                    .push((name.clone(), unquote(value).to_owned()));
            }
            _ => {}
        }
    }
}

/// Records `package = "…"` or `workspace = true` on `dependency`; other fields do not matter.
fn apply_field(dependency: &mut Dependency, field: &str, value: &str) {
    match field {
        "package" => dependency.package = Some(unquote(value).to_owned()),
        "workspace" => dependency.inherited = value == "true",
        _ => {}
    }
}

/// The `key = value` pairs of `{ key = value, … }` (nested arrays and tables kept whole); an
/// empty list for a plain `"1.0"`.
fn inline_table(value: &str) -> Vec<(String, String)> {
    let Some(inner) = value
        .strip_prefix('{')
        .and_then(|rest| rest.strip_suffix('}'))
    else {
        return Vec::new();
    };
    let mut fields = Vec::new();
    let (mut depth, mut in_string, mut start) = (0usize, false, 0);
    for (index, c) in inner.char_indices().chain([(inner.len(), ',')]) {
        match c {
            '"' => in_string = !in_string,
            '[' | '{' if !in_string => depth += 1,
            ']' | '}' if !in_string => depth = depth.saturating_sub(1),
            ',' if !in_string && depth == 0 => {
                if let Some((key, value)) = inner[start..index].split_once('=') {
                    fields.push((unquote(key.trim()).to_owned(), value.trim().to_owned()));
                }
                start = index + 1;
            }
            _ => {}
        }
    }
    fields
}

/// How many `{` of `line` are not closed on it, counting only braces outside strings
/// (`description = "turns { into tokens"` opens none).
fn open_braces(line: &str) -> isize {
    let (mut depth, mut in_string) = (0, None);
    for c in line.chars() {
        match (c, in_string) {
            ('"' | '\'', None) => in_string = Some(c),
            (c, Some(open)) if c == open => in_string = None,
            ('{', None) => depth += 1,
            ('}', None) => depth -= 1,
            _ => {}
        }
    }
    depth
}

/// `a.b."c.d"` → `["a", "b", "c.d"]`.
fn split_key(key: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut quote = None;
    for c in key.chars() {
        match (c, quote) {
            ('"' | '\'', None) => quote = Some(c),
            (c, Some(open)) if c == open => quote = None,
            ('.', None) => parts.push(String::new()),
            (c, _) if quote.is_some() || !c.is_whitespace() => {
                parts.last_mut().expect("never empty").push(c);
            }
            _ => {}
        }
    }
    parts
}

/// `"x"` or `'x'` → `x`; anything else unchanged.
fn unquote(text: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = text
            .strip_prefix(quote)
            .and_then(|rest| rest.strip_suffix(quote))
        {
            return inner;
        }
    }
    text
}

/// The line up to a `#` that is not inside a string.
fn strip_comment(line: &str) -> &str {
    let mut in_string = None;
    for (index, c) in line.char_indices() {
        match (c, in_string) {
            ('"' | '\'', None) => in_string = Some(c),
            (c, Some(open)) if c == open => in_string = None,
            ('#', None) => return &line[..index],
            _ => {}
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn renamed(manifest: &str, workspace: &str) -> Option<String> {
        super::runtime_key(&Manifest::scan(manifest), || {
            Manifest::scan(workspace).workspace_packages
        })
        .as_deref()
        .and_then(rename_of)
    }

    #[test]
    fn finds_every_spelling_of_a_rename() {
        let cases = [
            "[dependencies]\next = { package = \"async-ext\", version = \"0.1\" }",
            "[dependencies]\next = { version = \"0.1\", features = [\"std\", \"x\"], package = 'async-ext' }",
            "[dependencies]\next = {\n  version = \"0.1\",\n  package = \"async-ext\", # renamed\n}",
            "[dependencies]\next.version = \"0.1\"\next.package = \"async-ext\"",
            "[dependencies.ext]\nversion = \"0.1\"\npackage = \"async-ext\"",
            "[dev-dependencies]\next = { package = \"async-ext\" }",
            "[target.'cfg(unix)'.dependencies]\next = { package = \"async-ext\" }",
            "[target.\"cfg(unix)\".dependencies.ext]\npackage = \"async-ext\"",
        ];
        for manifest in cases {
            assert_eq!(renamed(manifest, ""), Some("ext".to_owned()), "{manifest}");
        }
    }

    #[test]
    fn follows_workspace_inheritance() {
        let member = "[dependencies]\nmy-ext = { workspace = true, features = [\"std\"] }";
        let root = "[workspace]\n[workspace.dependencies]\nmy-ext = { package = \"async-ext\", path = \"support\" }";
        assert_eq!(renamed(member, root), Some("my_ext".to_owned()));
        let member = "[dependencies]\nmy-ext.workspace = true";
        let root = "[workspace.dependencies.my-ext]\npath = \"x\"\npackage = \"async-ext\"";
        assert_eq!(renamed(member, root), Some("my_ext".to_owned()));
        // Inherited without a rename: the default path.
        let member = "[dependencies]\nasync-ext.workspace = true";
        let root = "[workspace.dependencies]\nasync-ext = { path = \"support\" }";
        assert_eq!(renamed(member, root), None);
    }

    #[test]
    fn leaves_unrenamed_and_unrelated_manifests_alone() {
        let cases = [
            "[dependencies]\nasync-ext = \"0.1\"",
            "[dependencies]\n\"async-ext\" = { version = \"0.1\" }",
            "[dependencies]\nserde = { version = \"1\", package = \"serde\" } # async-ext",
            "[package]\nname = \"app\"\n[features]\next = [\"async-ext/std\"]",
            "[dependencies]\nother = { package = \"async-ext-macros\" }",
            "",
        ];
        for manifest in cases {
            assert_eq!(renamed(manifest, ""), None, "{manifest}");
        }
    }

    #[test]
    fn the_missing_dependency_error_needs_a_manifest_without_async_ext() {
        assert!(!mentions_runtime(
            "[dependencies]\nfacade = { path = \"../facade\" }"
        ));
        assert!(mentions_runtime("[dependencies]\nasync-ext = \"0.1\""));
        assert!(mentions_runtime(
            "[dependencies]\nx = { package = \"async-ext\" }"
        ));
        assert!(mentions_runtime(
            "[features]\nstd = [\"facade/async_ext_std\"]"
        ));
    }

    /// `read_manifest` on real files: a member inheriting a renamed dependency names only the
    /// new key, and must neither miss the rename nor be told that async-ext is missing.
    #[test]
    fn reads_an_inherited_rename_from_the_workspace_root() {
        let root =
            std::env::temp_dir().join(format!("async-ext-crate-path-{}", std::process::id()));
        let member = root.join("member");
        std::fs::create_dir_all(&member).unwrap();
        std::fs::write(
            root.join("Cargo.toml"),
            "[workspace]\nmembers = [\"member\"]\n[workspace.dependencies]\n\
             ext = { package = \"async-ext\", version = \"0.1\" }\n",
        )
        .unwrap();
        let write_member = |dependencies: &str| {
            let text = format!("[package]\nname = \"m\"\n[dependencies]\n{dependencies}\n");
            std::fs::write(member.join("Cargo.toml"), text).unwrap();
            read_manifest(&member.join("Cargo.toml")).unwrap()
        };
        let inherited = write_member("ext.workspace = true");
        assert_eq!(inherited.renamed.as_deref(), Some("ext"));
        assert!(inherited.mentions_runtime);
        let facade_user = write_member("facade = \"1\"");
        assert_eq!(facade_user.renamed, None);
        assert!(!facade_user.mentions_runtime);
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn finds_crate_options_at_any_depth() {
        use quote::quote;
        assert!(names_crate_option(quote!(
            native,
            crate = ::facade::async_ext
        )));
        assert!(names_crate_option(quote!(
            #[async_drop(send, crate = ::f::async_ext)]
            struct S;
        )));
        assert!(!names_crate_option(quote!(native, dyn = DynStore)));
        assert!(!names_crate_option(quote!(
            struct S {
                x: crate::X,
            }
        )));
    }

    #[test]
    fn braces_inside_strings_do_not_join_lines() {
        let manifest = "[package]\nname = \"app\"\ndescription = \"turns { into tokens\"\n\
                        [dependencies]\next = { package = \"async-ext\" }\n";
        assert_eq!(renamed(manifest, ""), Some("ext".to_owned()));
        let manifest = "[dependencies]\next = { package = \"async-ext\", features = [\"}\"],\n\
                        version = \"1\" }\nother = \"1\"";
        assert_eq!(renamed(manifest, ""), Some("ext".to_owned()));
        assert_eq!(open_braces("a = \"{\" "), 0);
        assert_eq!(open_braces("a = { b = '}'"), 1);
    }

    #[test]
    fn dependencies_win_over_dev_dependencies_and_build_dependencies_do_not_count() {
        let dev_first = "[dev-dependencies]\ntest-ext = { package = \"async-ext\" }\n\
                         [dependencies]\next = { package = \"async-ext\" }";
        assert_eq!(renamed(dev_first, ""), Some("ext".to_owned()));
        let target = "[dev-dependencies]\ntest-ext = { package = \"async-ext\" }\n\
                      [target.'cfg(unix)'.dependencies]\nunix-ext = { package = \"async-ext\" }";
        assert_eq!(renamed(target, ""), Some("unix_ext".to_owned()));
        let plain_library = "[dependencies]\nasync-ext = \"0.1\"\n\
                             [dev-dependencies]\next = { package = \"async-ext\" }";
        assert_eq!(renamed(plain_library, ""), None);
        let build_only = "[build-dependencies]\nb = { package = \"async-ext\" }";
        assert_eq!(renamed(build_only, ""), None);
        let build_and_dev = "[build-dependencies]\nb = { package = \"async-ext\" }\n\
                             [dev-dependencies]\nd = { package = \"async-ext\" }";
        assert_eq!(renamed(build_and_dev, ""), Some("d".to_owned()));
    }

    #[test]
    fn a_keyword_rename_is_a_raw_identifier_and_an_impossible_one_is_refused() {
        let spelled = |name: &str| runtime_ident(name).map(|ident| ident.to_string());
        assert_eq!(spelled("ext"), Ok("ext".to_owned()));
        assert_eq!(spelled("async"), Ok("r#async".to_owned()));
        assert_eq!(spelled("type"), Ok("r#type".to_owned()));
        assert_eq!(spelled("gen"), Ok("r#gen".to_owned()));
        for name in [
            "self", "crate", "super", "Self", "_", "", "9ext", "my ext", "ext!", "é",
        ] {
            assert_eq!(spelled(name), Err(()), "{name:?}");
        }
    }

    #[test]
    fn counts_only_paths_that_start_with_async_ext() {
        use quote::quote;
        let tokens = quote! {
            ::async_ext::__private::f(); x = ::async_ext::X;
            { (::async_ext::Y) }
            a::async_ext::Z; <T>::async_ext; async_ext::W; crate::async_ext;
        };
        assert_eq!(default_paths(tokens), 3);
    }

    #[test]
    fn nested_attributes_get_the_outer_crate_path_unless_they_have_their_own() {
        let mut item: Item = syn::parse_quote! {
            impl Feed for Numbers {
                #[async_stream(item = u32)]
                async fn numbers(&self) {}
                #[facade::async_scope]
                #[async_trait_ext(?Send)]
                async fn close(&self) {}
                #[async_try_stream(item = u32, error = E, crate = ::other::async_ext)]
                async fn tries(&self) {}
                #[inline]
                #[for_await()]
                async fn sum(&self) {}
            }
        };
        let given = CratePath::from_tokens(quote!(::facade::async_ext));
        pass_on(&mut item, &given);
        let expected: Item = syn::parse_quote! {
            impl Feed for Numbers {
                #[async_stream(item = u32, crate = ::facade::async_ext)]
                async fn numbers(&self) {}
                #[facade::async_scope(crate = ::facade::async_ext)]
                #[async_trait_ext(?Send)]
                async fn close(&self) {}
                #[async_try_stream(item = u32, error = E, crate = ::other::async_ext)]
                async fn tries(&self) {}
                #[inline]
                #[for_await(crate = ::facade::async_ext)]
                async fn sum(&self) {}
            }
        };
        assert_eq!(
            item.to_token_stream().to_string(),
            expected.to_token_stream().to_string()
        );
        // A path found from the manifest is not written into nested attributes.
        let before = item.to_token_stream().to_string();
        let found = CratePath {
            path: quote!(::ext),
            given: false,
        };
        let mut again = item.clone();
        pass_on(&mut again, &found);
        assert_eq!(again.to_token_stream().to_string(), before);
    }

    #[test]
    fn without_expansion_keeps_signatures_and_drops_our_attributes_and_bodies() {
        let input = quote! {
            #[async_trait_ext]
            #[doc = "kept"]
            pub trait Feed {
                #[async_stream(item = u32)]
                async fn numbers(&self, #[async_drop] guard: G) { yield_!(1); }
                async fn get(&self) -> u32;
            }
        };
        let expected = quote! {
            #[doc = "kept"]
            pub trait Feed {
                #[allow(unused_variables, unused_mut)]
                async fn numbers(&self, guard: G) { loop {} }
                #[allow(unused_variables, unused_mut)]
                async fn get(&self) -> u32;
            }
        };
        let parsed = |tokens: TokenStream| {
            (syn::parse2::<Item>(tokens).unwrap())
                .into_token_stream()
                .to_string()
        };
        assert_eq!(parsed(without_expansion(input)), parsed(expected));
        assert!(without_expansion(quote!(not an item)).is_empty());
    }

    /// An edit of the workspace root's manifest alone changes the cached answer of a member
    /// that inherits from it (the member's own manifest, the cache key, is unchanged).
    #[test]
    fn the_cache_sees_an_edit_of_the_workspace_root() {
        let root = std::env::temp_dir().join(format!("async-ext-cache-{}", std::process::id()));
        let member = root.join("member");
        std::fs::create_dir_all(&member).unwrap();
        let member_manifest = member.join("Cargo.toml");
        std::fs::write(&member_manifest, "[dependencies]\next.workspace = true\n").unwrap();
        let write_root = |package: &str, age: u64| {
            let path = root.join("Cargo.toml");
            let text = format!("[workspace.dependencies]\next = {{ package = \"{package}\" }}\n");
            std::fs::write(&path, text).unwrap();
            let time = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000 + age);
            let file = std::fs::File::options().write(true).open(&path).unwrap();
            file.set_modified(time).unwrap();
        };
        write_root("async-ext", 0);
        let first = cached_facts(member_manifest.clone()).unwrap();
        assert_eq!(first.renamed.as_deref(), Some("ext"));
        write_root("other-crate", 1);
        let second = cached_facts(member_manifest).unwrap();
        assert_eq!(second.renamed, None);
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn a_rename_no_path_can_start_with_is_reported() {
        let dir = std::env::temp_dir().join(format!("async-ext-self-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let manifest = dir.join("Cargo.toml");
        std::fs::write(
            &manifest,
            "[dependencies]\nself = { package = \"async-ext\" }\n",
        )
        .unwrap();
        let facts = read_manifest(&manifest).unwrap();
        assert_eq!(facts.unusable_rename.as_deref(), Some("self"));
        assert!(facts.mentions_runtime);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_error_comes_only_when_the_expansion_adds_an_unreachable_default_path() {
        let facts = |mentions_runtime, unusable: Option<&str>| ManifestFacts {
            renamed: unusable.map(str::to_owned),
            unusable_rename: unusable.map(str::to_owned),
            mentions_runtime,
            depends_on_runtime: mentions_runtime,
            workspace_root: None,
        };
        let message = |facts: &ManifestFacts, input: TokenStream, expansion: TokenStream| {
            runtime_error(facts, &input, &expansion, "async_scope").map(|e| e.to_string())
        };
        let item = quote!(
            async fn f() {}
        );
        let needs_runtime = quote!(
            async fn f() {
                ::async_ext::__private::scope().await
            }
        );
        let facade_user = facts(false, None);
        let error = message(&facade_user, item.clone(), needs_runtime.clone()).unwrap();
        assert!(error.starts_with("this crate's Cargo.toml does not depend on `async-ext`"));
        assert!(
            error.contains("`#[async_scope(crate = ::facade::async_ext)]`"),
            "{error}"
        );
        // An expansion that names no runtime path, or only the user's own: no error.
        assert_eq!(message(&facade_user, item.clone(), item.clone()), None);
        assert_eq!(
            message(&facade_user, needs_runtime.clone(), needs_runtime.clone()),
            None
        );
        let given = quote!(
            async fn f() {
                ::facade::async_ext::__private::scope().await
            }
        );
        assert_eq!(message(&facade_user, item.clone(), given), None);
        // A manifest that depends on async-ext: no error.
        assert_eq!(
            message(&facts(true, None), item.clone(), needs_runtime.clone()),
            None
        );
        // A rename no path can start with.
        let error = message(&facts(true, Some("self")), item, needs_runtime).unwrap();
        assert!(
            error.contains("calls `async-ext` `self`, which cannot start a path"),
            "{error}"
        );
        assert!(error.contains("`#[async_scope(crate = …)]`"), "{error}");
    }

    #[test]
    fn reads_the_package_name_and_ignores_comments() {
        let manifest = Manifest::scan("# [dependencies]\n[package]\nname = \"async-ext\" # x\n");
        assert_eq!(manifest.package_name.as_deref(), Some("async-ext"));
        assert!(manifest.dependencies.is_empty());
    }
}
