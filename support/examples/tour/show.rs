//! How the tour shows a step: the lines of code it runs, where they are, then what they
//! printed. A step's code is marked in the tour's own source with `// tour: NAME` before it and
//! `// tour: end` after it (a step may mark several places: a definition and its use), and the
//! source is embedded with `include_str!`, so what is shown is exactly what runs. The tour's
//! test (`cargo test --example tour`) checks that every marked region was shown.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

/// What the tour showed: the sources it showed code from, and the markers it showed.
struct Shown {
    /// file → its text.
    sources: BTreeMap<String, String>,
    /// (file, marker name).
    markers: BTreeSet<(String, String)>,
}

static SHOWN: Mutex<Shown> = Mutex::new(Shown {
    sources: BTreeMap::new(),
    markers: BTreeSet::new(),
});

/// Prints the heading of one tour stop.
pub(crate) fn stop(title: &str) {
    println!("== {title}");
}

/// Prints every region of `source` (the text of `file`) marked `// tour: NAME`, each under its
/// `file:line`.
pub(crate) fn code(file: &str, source: &str, name: &str) {
    let start_marker = format!("// tour: {name}");
    let mut lines = source.lines().enumerate();
    let mut found = false;
    while let Some((index, line)) = lines.next() {
        if line.trim() != start_marker {
            continue;
        }
        found = true;
        let region: Vec<&str> = lines
            .by_ref()
            .map(|(_, line)| line)
            .take_while(|line| line.trim() != "// tour: end")
            .collect();
        let indent = region
            .iter()
            .filter(|line| !line.trim().is_empty())
            .map(|line| line.len() - line.trim_start().len())
            .min()
            .unwrap_or(0);
        println!("\n  {file}:{}", index + 2);
        for line in region {
            println!("  | {}", line.get(indent..).unwrap_or(""));
        }
    }
    assert!(found, "the tour's source has no `{start_marker}` region");
    let mut shown = SHOWN
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    shown.sources.insert(file.to_owned(), source.to_owned());
    shown.markers.insert((file.to_owned(), name.to_owned()));
}

/// `file: NAME` for each `// tour: NAME` marker, in the sources the tour showed, that no step
/// showed (a marker renamed on one side only).
#[cfg(test)]
pub(crate) fn unshown_markers() -> Vec<String> {
    let shown = SHOWN
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut unshown = Vec::new();
    for (file, source) in &shown.sources {
        let markers = source
            .lines()
            .filter_map(|line| line.trim().strip_prefix("// tour: "))
            .filter(|name| *name != "end");
        for name in markers {
            if !shown.markers.contains(&(file.clone(), name.to_owned())) {
                unshown.push(format!("{file}: {name}"));
            }
        }
    }
    unshown
}

/// Prints one line of what a step printed.
pub(crate) fn printed(text: impl std::fmt::Display) {
    println!("  => {text}");
}
