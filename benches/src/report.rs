//! Targets, pass/miss verdicts and the Markdown of `benches/RESULTS.md`.
//!
//! Verdicts are judged on instruction counts and allocation counts, which repeat exactly from
//! run to run; times are shown beside them as ratios measured in the same run.

use std::fmt::Write as _;

use crate::measure::{Group, Measured};

/// A target of `shared/design/performance.md` attached to a row.
#[derive(Clone, Copy, Debug)]
pub enum Target {
    /// Instructions per operation at most `max` times those of scenario `against` (same
    /// group), and, when given, exactly `allocations` allocations per operation.
    Ratio {
        against: &'static str,
        max: f64,
        allocations: Option<f64>,
        text: &'static str,
    },
    /// Exactly this many allocations per operation.
    Allocations {
        allocations: f64,
        text: &'static str,
    },
    /// Reported against scenario `against` (same group), with no pass/miss.
    Report {
        against: &'static str,
        text: &'static str,
    },
}

impl Target {
    /// The target as written in performance.md.
    #[must_use]
    pub fn text(&self) -> &'static str {
        match self {
            Target::Ratio { text, .. }
            | Target::Allocations { text, .. }
            | Target::Report { text, .. } => text,
        }
    }
}

/// Whether a row meets its target.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    Pass,
    Miss(String),
    /// No pass/miss asked for.
    Reported,
    /// A figure the verdict needs is missing (valgrind did not run, the peer is absent).
    Unknown(String),
}

impl Verdict {
    /// The mark in the table.
    #[must_use]
    pub fn mark(&self) -> String {
        match self {
            Verdict::Pass => "**pass**".to_owned(),
            Verdict::Miss(why) => format!("**miss** ({why})"),
            Verdict::Reported => "reported".to_owned(),
            Verdict::Unknown(why) => format!("not judged ({why})"),
        }
    }
}

/// Judges `measured` against `target`; `group` holds the results of the row's group by id.
#[must_use]
pub fn judge(target: &Target, measured: &Measured, group: &[(&str, Measured)]) -> Verdict {
    let allocation_miss = |wanted: f64| {
        ((measured.allocations - wanted).abs() > 1e-9).then(|| {
            format!(
                "{} allocations, target {}",
                fmt_allocations(measured.allocations),
                fmt_allocations(wanted)
            )
        })
    };
    match *target {
        Target::Report { .. } => Verdict::Reported,
        Target::Allocations { allocations, .. } => match allocation_miss(allocations) {
            Some(why) => Verdict::Miss(why),
            None => Verdict::Pass,
        },
        Target::Ratio {
            against,
            max,
            allocations,
            ..
        } => {
            if let Some(why) = allocations.and_then(allocation_miss) {
                return Verdict::Miss(why);
            }
            let Some((_, peer)) = group.iter().find(|(id, _)| *id == against) else {
                return Verdict::Unknown(format!("peer `{against}` not measured"));
            };
            match (measured.instructions, peer.instructions) {
                (Some(ours), Some(theirs)) if theirs > 0.0 => {
                    let ratio = ours / theirs;
                    // Judged on the ratio as printed, so the table never contradicts itself.
                    if round2(ratio) <= max + 1e-9 {
                        Verdict::Pass
                    } else {
                        Verdict::Miss(format!("{}× > {}×", fmt_ratio(ratio), fmt_limit(max)))
                    }
                }
                _ => Verdict::Unknown("no instruction count".to_owned()),
            }
        }
    }
}

/// A target's limit as performance.md writes it: `1.0`, `1.05`, `1.2`.
#[must_use]
pub fn fmt_limit(limit: f64) -> String {
    if (limit - limit.round()).abs() < 1e-9 {
        format!("{limit:.1}")
    } else {
        format!("{limit}")
    }
}

fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// `1.234` → `1.23`.
#[must_use]
pub fn fmt_ratio(ratio: f64) -> String {
    if ratio.is_finite() {
        format!("{ratio:.2}")
    } else {
        "–".to_owned()
    }
}

/// Whole numbers without decimals, fractions with three.
#[must_use]
pub fn fmt_allocations(allocations: f64) -> String {
    if (allocations - allocations.round()).abs() < 1e-9 {
        format!("{}", allocations.round())
    } else {
        format!("{allocations:.3}")
    }
}

/// Whole counts without decimals (the usual case: the loop is the same every time), others
/// with one.
fn fmt_instructions(instructions: Option<f64>) -> String {
    match instructions {
        Some(value) if (value - value.round()).abs() < 1e-9 => format!("{value:.0}"),
        Some(value) => format!("{value:.1}"),
        None => "–".to_owned(),
    }
}

fn fmt_ns(ns: f64) -> String {
    if ns >= 100.0 {
        format!("{ns:.0}")
    } else if ns >= 10.0 {
        format!("{ns:.1}")
    } else {
        format!("{ns:.2}")
    }
}

/// One row of the headline table.
#[derive(Clone, Debug)]
pub struct Headline {
    pub what: String,
    pub row: String,
    pub against: String,
    pub instructions_ratio: Option<f64>,
    pub time_ratio: Option<f64>,
    pub allocations: Option<f64>,
    pub target: String,
    pub verdict: Verdict,
}

/// The results of a group, in the order of its scenarios.
#[derive(Debug)]
pub struct GroupResult<'a> {
    pub group: &'a Group,
    pub measured: Vec<Measured>,
}

impl GroupResult<'_> {
    fn by_id(&self) -> Vec<(&str, Measured)> {
        self.group
            .scenarios
            .iter()
            .map(|scenario| scenario.id)
            .zip(self.measured.iter().cloned())
            .collect()
    }

    fn find(&self, id: &str) -> Option<(&'static str, &Measured)> {
        self.group
            .scenarios
            .iter()
            .zip(&self.measured)
            .find(|(scenario, _)| scenario.id == id)
            .map(|(scenario, measured)| (scenario.label, measured))
    }

    /// The group's table in Markdown.
    #[must_use]
    pub fn markdown(&self) -> String {
        let group = self.group;
        let unit = group.unit;
        let by_id = self.by_id();
        let peer = self.find(group.peer);
        let mut out = String::new();
        let _ = writeln!(out, "### {} (per {unit})\n\n{}\n", group.title, group.note);
        let _ = writeln!(
            out,
            "| implementation | ns/{unit} | × peer | instructions/{unit} | × peer | allocations/{unit} | target | verdict |"
        );
        out.push_str("|---|---:|---:|---:|---:|---:|---|---|\n");
        for (scenario, measured) in group.scenarios.iter().zip(&self.measured) {
            let is_peer = scenario.id == group.peer;
            let label = if is_peer {
                format!("{} (peer)", scenario.label)
            } else {
                scenario.label.to_owned()
            };
            let (time_ratio, instr_ratio) = match peer {
                Some((_, peer)) => (
                    measured.ns / peer.ns,
                    ratio(measured.instructions, peer.instructions),
                ),
                None => (f64::NAN, None),
            };
            let target = scenario
                .targets
                .iter()
                .map(Target::text)
                .collect::<Vec<_>>()
                .join("; ");
            let verdict = scenario
                .targets
                .iter()
                .map(|target| judge(target, measured, &by_id).mark())
                .collect::<Vec<_>>()
                .join("; ");
            let _ = writeln!(
                out,
                "| {label} | {} | {} | {} | {} | {} | {target} | {verdict} |",
                fmt_ns(measured.ns),
                fmt_ratio(time_ratio),
                fmt_instructions(measured.instructions),
                instr_ratio.map_or_else(|| "–".to_owned(), fmt_ratio),
                fmt_allocations(measured.allocations),
            );
        }
        out
    }

    /// The headline rows of the group: one per target, against the scenario the target names
    /// (none for an allocation target).
    #[must_use]
    pub fn headlines(&self) -> Vec<Headline> {
        let by_id = self.by_id();
        let mut rows = Vec::new();
        for (scenario, measured) in self.group.scenarios.iter().zip(&self.measured) {
            for target in &scenario.targets {
                // An allocation target is absolute: no peer, no ratio.
                let against_id = match target {
                    Target::Ratio { against, .. } | Target::Report { against, .. } => {
                        Some(*against)
                    }
                    Target::Allocations { .. } => None,
                };
                let against = against_id.and_then(|id| self.find(id));
                rows.push(Headline {
                    what: self.group.title.to_owned(),
                    row: scenario.label.to_owned(),
                    against: match (against, against_id) {
                        (Some((label, _)), _) => label.to_owned(),
                        (None, Some(id)) => format!("`{id}` (not measured)"),
                        (None, None) => "–".to_owned(),
                    },
                    instructions_ratio: against
                        .and_then(|(_, peer)| ratio(measured.instructions, peer.instructions)),
                    time_ratio: against.map(|(_, peer)| measured.ns / peer.ns),
                    allocations: Some(measured.allocations),
                    target: target.text().to_owned(),
                    verdict: judge(target, measured, &by_id),
                });
            }
        }
        rows
    }
}

fn ratio(ours: Option<f64>, theirs: Option<f64>) -> Option<f64> {
    match (ours, theirs) {
        (Some(ours), Some(theirs)) if theirs > 0.0 => Some(ours / theirs),
        _ => None,
    }
}

/// The headline table in Markdown.
#[must_use]
pub fn headline_markdown(rows: &[Headline]) -> String {
    let mut out = String::new();
    out.push_str(
        "| what | async-ext row | against | instructions × | time × | allocations/op | target | verdict |\n",
    );
    out.push_str("|---|---|---|---:|---:|---:|---|---|\n");
    for row in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            row.what,
            row.row,
            row.against,
            row.instructions_ratio
                .map_or_else(|| "–".to_owned(), fmt_ratio),
            row.time_ratio.map_or_else(|| "–".to_owned(), fmt_ratio),
            row.allocations
                .map_or_else(|| "–".to_owned(), fmt_allocations),
            row.target,
            row.verdict.mark(),
        );
    }
    out
}

/// `markdown` with the body of the section under `heading` (a `## ` line) replaced by `body`,
/// up to the next `## ` heading; `None` when there is no such section.
#[must_use]
pub fn replace_section(markdown: &str, heading: &str, body: &str) -> Option<String> {
    let start = markdown.find(&format!("\n{heading}\n"))? + heading.len() + 2;
    let rest = markdown[start..]
        .find("\n## ")
        .map_or("", |at| &markdown[start + at + 1..]);
    let gap = if rest.is_empty() { "" } else { "\n" };
    Some(format!(
        "{}\n{}\n{gap}{rest}",
        &markdown[..start],
        body.trim()
    ))
}

#[cfg(test)]
mod tests {
    use super::{Measured, Target, Verdict, fmt_allocations, judge, replace_section};

    #[test]
    fn replaces_one_section_only() {
        let readme = "# t\n\n## A\n\nold a\n\n## Performance\n\nold\ntext\n\n## Layout\n\nkept\n";
        assert_eq!(
            replace_section(readme, "## Performance", "new\n").as_deref(),
            Some("# t\n\n## A\n\nold a\n\n## Performance\n\nnew\n\n## Layout\n\nkept\n")
        );
        assert_eq!(
            replace_section("x\n## Performance\nold\n", "## Performance", "new").as_deref(),
            Some("x\n## Performance\n\nnew\n")
        );
        assert_eq!(replace_section(readme, "## Missing", "new"), None);
    }

    fn measured(instructions: f64, allocations: f64) -> Measured {
        Measured {
            ns: 1.0,
            instructions: Some(instructions),
            allocations,
        }
    }

    const WITHIN_TEN_PERCENT: Target = Target::Ratio {
        against: "peer",
        max: 1.1,
        allocations: Some(0.0),
        text: "",
    };

    #[test]
    fn ratio_target_judged_on_instructions_and_allocations() {
        let group = [("peer", measured(20.0, 0.0))];
        assert_eq!(
            judge(&WITHIN_TEN_PERCENT, &measured(22.0, 0.0), &group),
            Verdict::Pass
        );
        assert_eq!(
            judge(&WITHIN_TEN_PERCENT, &measured(23.0, 0.0), &group),
            Verdict::Miss("1.15× > 1.1×".to_owned())
        );
        let at_most_peer = Target::Ratio {
            against: "peer",
            max: 1.0,
            allocations: None,
            text: "",
        };
        assert_eq!(
            judge(&at_most_peer, &measured(21.0, 1.0), &group),
            Verdict::Miss("1.05× > 1.0×".to_owned())
        );
        assert_eq!(
            judge(&WITHIN_TEN_PERCENT, &measured(10.0, 1.0), &group),
            Verdict::Miss("1 allocations, target 0".to_owned())
        );
        assert!(matches!(
            judge(&WITHIN_TEN_PERCENT, &measured(10.0, 0.0), &[]),
            Verdict::Unknown(_)
        ));
    }

    #[test]
    fn allocation_and_report_targets() {
        let exactly_one = Target::Allocations {
            allocations: 1.0,
            text: "",
        };
        assert_eq!(judge(&exactly_one, &measured(1.0, 1.0), &[]), Verdict::Pass);
        assert!(matches!(
            judge(&exactly_one, &measured(1.0, 0.5), &[]),
            Verdict::Miss(_)
        ));
        assert_eq!(
            judge(
                &Target::Report {
                    against: "peer",
                    text: ""
                },
                &measured(1.0, 3.0),
                &[]
            ),
            Verdict::Reported
        );
    }

    #[test]
    fn allocation_counts_print_exactly() {
        assert_eq!(fmt_allocations(0.0), "0");
        assert_eq!(fmt_allocations(2.0), "2");
        assert_eq!(fmt_allocations(0.25), "0.250");
    }
}
