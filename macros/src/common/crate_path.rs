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
//! dependencies stay syn, quote and proc-macro2). The answer is cached per manifest for the
//! life of the compiler process, so a crate pays for one read however many attributes it
//! uses. Measured on this repository's manifests with the macros built as cargo builds proc
//! macros by default (unoptimised): 0.35 to 0.85 ms for the first expansion of a crate (the
//! upper figure reads the workspace root too), then 9 µs per expansion (a `stat` of the
//! manifest and the cache lookup); optimised, 0.05 to 0.08 ms and 2.5 µs.
//!
//! `crate = path` is still needed, and wins, when the macros are reached through another crate
//! that re-exports async-ext (a facade), since the calling manifest then names no `async-ext`.
//! In that case, when the manifest does not mention async-ext at all, the entry points put one
//! error naming `crate = …` before the expansion ([`unreachable_runtime_error`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::SystemTime;

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote};

/// The runtime crate's package name, as written in manifests.
const PACKAGE: &str = "async-ext";

/// A path to the support crate, as the user (or `$crate`) spelled it.
#[derive(Clone)]
pub(crate) struct CratePath(TokenStream);

impl CratePath {
    pub(crate) fn from_tokens(tokens: TokenStream) -> Self {
        CratePath(tokens)
    }

    /// Whether this is the default `::async_ext` (no `crate = …` given).
    pub(crate) fn is_default(&self) -> bool {
        self.0.to_string() == CratePath::default().0.to_string()
    }

    /// `PATH::__private`: the one module generated code calls into.
    pub(crate) fn private(&self) -> TokenStream {
        let path = &self.0;
        quote!(#path::__private)
    }
}

impl Default for CratePath {
    /// `::NAME`, where NAME is what the calling crate calls `async-ext` (see the module docs).
    fn default() -> Self {
        let name = manifest_facts()
            .and_then(|facts| facts.renamed)
            .unwrap_or_else(|| "async_ext".to_owned());
        let ident = syn::Ident::new(&name, Span::call_site());
        CratePath(quote!(::#ident))
    }
}

impl ToTokens for CratePath {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        self.0.to_tokens(tokens);
    }
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

/// The error to put before an expansion whose code names `::async_ext` (no `crate = …` in
/// `given`, the attribute's arguments or the derive's input) in a crate whose manifest does not
/// mention async-ext at all: the macros then come through a crate that re-exports them, and
/// rustc would only say "cannot find `async_ext` in the crate root", once per generated path.
/// `attribute` is where this macro takes the option: `async_trait_ext`, or `async_drop` for the
/// derive.
pub(crate) fn unreachable_runtime_error(
    given: &TokenStream,
    attribute: &str,
) -> Option<syn::Error> {
    if names_crate_option(given.clone()) || manifest_facts()?.mentions_runtime {
        return None;
    }
    Some(syn::Error::new(
        Span::call_site(),
        format!(
            "this crate's Cargo.toml does not depend on `async-ext`, so the code this macro \
             writes cannot reach it: if the macro comes through a crate that re-exports \
             async-ext, say where it is, as in `#[{attribute}(crate = ::facade::async_ext)]`; \
             otherwise add `async-ext` to [dependencies]"
        ),
    ))
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

/// What the calling crate's manifest says about async-ext.
#[derive(Clone)]
struct ManifestFacts {
    /// The key it depends on async-ext under, when that is not `async-ext`.
    renamed: Option<String>,
    /// Whether the text names async-ext at all (`async-ext` or `async_ext`, anywhere): when it
    /// does not, `::async_ext` cannot resolve. Deliberately crude, so it never errs on a
    /// manifest the scanner misreads.
    mentions_runtime: bool,
}

/// The facts of `CARGO_MANIFEST_DIR/Cargo.toml` (`None` if it cannot be read), cached per
/// manifest: path and modification time, so an IDE's long-lived macro server sees edits.
fn manifest_facts() -> Option<ManifestFacts> {
    type Cache = Mutex<HashMap<(PathBuf, Option<SystemTime>), Option<ManifestFacts>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();

    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR")?).join("Cargo.toml");
    let modified = std::fs::metadata(&manifest)
        .and_then(|metadata| metadata.modified())
        .ok();
    let key = (manifest, modified);
    let cache = CACHE.get_or_init(Cache::default);
    if let Some(facts) = cache.lock().ok()?.get(&key) {
        return facts.clone();
    }
    let facts = read_manifest(&key.0);
    cache.lock().ok()?.insert(key, facts.clone());
    facts
}

/// Reads `manifest` (and, for inherited dependencies, its workspace root's manifest).
fn read_manifest(manifest: &Path) -> Option<ManifestFacts> {
    let text = std::fs::read_to_string(manifest).ok()?;
    let scanned = Manifest::scan(&text);
    let workspace = OnceLock::new();
    let workspace_text = || workspace.get_or_init(|| workspace_manifest(manifest));
    let renamed = renamed(&scanned, || {
        workspace_text()
            .as_deref()
            .map(|text| Manifest::scan(text).workspace_packages)
            .unwrap_or_default()
    });
    // An inherited entry (`ext.workspace = true`) may be async-ext under a name that only the
    // workspace root's manifest explains.
    let inherits = scanned
        .dependencies
        .iter()
        .any(|dependency| dependency.inherited);
    let mentions_runtime = mentions_runtime(&text)
        || (inherits && workspace_text().as_deref().is_none_or(mentions_runtime));
    Some(ManifestFacts {
        renamed,
        mentions_runtime,
    })
}

fn mentions_runtime(manifest: &str) -> bool {
    manifest.contains(PACKAGE) || manifest.contains("async_ext")
}

/// The key under which `manifest` depends on `async-ext`, when it is not `async-ext`, in the
/// form a path uses (`my-ext` → `my_ext`). `workspace` gives the workspace root's
/// `[workspace.dependencies]`, read only when an entry inherits from it.
fn renamed(
    manifest: &Manifest,
    workspace: impl FnOnce() -> HashMap<String, String>,
) -> Option<String> {
    if manifest.package_name.as_deref() == Some(PACKAGE) {
        // The runtime crate's own tests, examples and doctests name it `async_ext`.
        return None;
    }
    let inherits = manifest
        .dependencies
        .iter()
        .any(|dependency| dependency.inherited && dependency.package.is_none());
    let workspace = if inherits {
        workspace()
    } else {
        HashMap::new()
    };
    manifest.dependencies.iter().find_map(|dependency| {
        let package = match &dependency.package {
            Some(package) => package,
            None if dependency.inherited => {
                workspace.get(&dependency.key).unwrap_or(&dependency.key)
            }
            None => &dependency.key,
        };
        (package == PACKAGE && dependency.key != PACKAGE).then(|| dependency.key.replace('-', "_"))
    })
}

/// The text of the nearest manifest that has a `[workspace]` table: `manifest` itself or one
/// in a directory above it.
fn workspace_manifest(manifest: &Path) -> Option<String> {
    manifest.parent()?.ancestors().find_map(|dir| {
        let text = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
        // `[workspace]`, or a `[workspace.…]` table alone, which defines it too.
        text.lines()
            .map(str::trim)
            .any(|line| line == "[workspace]" || line.starts_with("[workspace."))
            .then_some(text)
    })
}

/// One dependency entry: `key = "1"`, `key = { package = "p", workspace = true, … }`,
/// `key.package = "p"`, or a `[dependencies.key]` table.
#[derive(Debug, PartialEq)]
struct Dependency {
    key: String,
    package: Option<String>,
    inherited: bool,
}

/// What this module needs of a manifest.
#[derive(Default)]
struct Manifest {
    /// `[package] name`.
    package_name: Option<String>,
    /// Every entry of every dependency table (`[dependencies]`, `[dev-dependencies]`,
    /// `[build-dependencies]`, their `[target.….…]` forms), in order.
    dependencies: Vec<Dependency>,
    /// `[workspace.dependencies]`: key → package name.
    workspace_packages: HashMap<String, String>,
}

/// The table a line of the manifest is in.
enum Section {
    Package,
    Dependencies,
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
            while line.matches('{').count() > line.matches('}').count() {
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
        let is_dependency_table = |name: &str| {
            matches!(
                name,
                "dependencies" | "dev-dependencies" | "build-dependencies"
            )
        };
        match parts.as_slice() {
            ["package"] => Section::Package,
            ["workspace", "dependencies"] => Section::WorkspaceDependencies,
            ["workspace", "dependencies", key] => Section::WorkspaceDependency((*key).to_owned()),
            [table] | ["target", _, table] if is_dependency_table(table) => Section::Dependencies,
            [table, key] | ["target", _, table, key] if is_dependency_table(table) => {
                self.dependencies.push(Dependency {
                    key: (*key).to_owned(),
                    package: None,
                    inherited: false,
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
            Section::Dependencies => {
                let key_parts = split_key(key);
                let Some(name) = key_parts.first() else {
                    return;
                };
                let dependency = match self.dependencies.iter_mut().rev().find(|d| &d.key == name) {
                    // `ext.package = "async-ext"` after `ext.path = "…"`.
                    Some(dependency) if key_parts.len() > 1 => dependency,
                    _ => {
                        self.dependencies.push(Dependency {
                            key: name.clone(),
                            package: None,
                            inherited: false,
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
                    self.workspace_packages.insert(name.clone(), package);
                }
            }
            Section::WorkspaceDependency(name) if key == "package" => {
                self.workspace_packages
                    .insert(name.clone(), unquote(value).to_owned());
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
        super::renamed(&Manifest::scan(manifest), || {
            Manifest::scan(workspace).workspace_packages
        })
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
    fn reads_the_package_name_and_ignores_comments() {
        let manifest = Manifest::scan("# [dependencies]\n[package]\nname = \"async-ext\" # x\n");
        assert_eq!(manifest.package_name.as_deref(), Some("async-ext"));
        assert!(manifest.dependencies.is_empty());
    }
}
