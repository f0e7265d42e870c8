//! A lesson's walk as plain text (`pex lesson show`): each step's action or condition, its
//! caption, what it changed, what it highlights, and the properties that break there.

use super::{Highlight, LessonRun, StepKind};
use crate::engine::trace::changed_paths;
use std::fmt::Write;

impl LessonRun {
    /// The lesson as text; with `solutions`, the actions that reach each challenge's goal too.
    pub fn walk_text(&self, solutions: bool) -> String {
        let lesson = self.lesson();
        let model = self.model().as_ref();
        let mut out = String::new();
        let _ = writeln!(out, "# {}", lesson.title);
        let _ = writeln!(out, "{} — model {}, config {}, constants {}", lesson.file, model.info().name, model.config().name, model.constants());
        let _ = writeln!(out, "{}\n", lesson.summary.trim());
        let _ = writeln!(out, "{}\n", lesson.intro.trim());
        for (i, step) in lesson.steps.iter().enumerate() {
            let (start, end) = (self.step_start(i).unwrap_or(0), self.step_end(i).unwrap_or(0));
            let labels: Vec<&str> = self.walk().steps[start + 1..=end].iter().filter_map(|s| s.action.as_deref()).collect();
            let head = match &step.kind {
                StepKind::Take(label) => format!("take {label}"),
                StepKind::Wait { until, .. } => format!("step until {} (one way: {})", until.describe(), labels.join(", ")),
            };
            let _ = writeln!(out, "## Step {} (walk step {end}): {head}", i + 1);
            let _ = writeln!(out, "{}", indent(step.caption.trim()));
            let changed = changed_paths(model, &self.walk().steps[start].state, &self.walk().steps[end].state);
            if !changed.is_empty() {
                let _ = writeln!(out, "   changed: {}", changed.join(", "));
            }
            let highlights: Vec<String> = self
                .highlights(i)
                .iter()
                .map(|h| match h {
                    Highlight::Property(p) => format!("property {p}"),
                    Highlight::Path(p) => p.clone(),
                })
                .collect();
            if !highlights.is_empty() {
                let _ = writeln!(out, "   highlight: {}", highlights.join(", "));
            }
            for name in &step.breaks {
                let _ = writeln!(out, "   ✗ {name} fails here, for the first time");
            }
            if let Some(q) = &step.question {
                let _ = writeln!(out, "   Question: {}", q.trim());
                if let Some(a) = &step.answer {
                    let _ = writeln!(out, "   Answer: {}", a.trim());
                }
            }
            out.push('\n');
        }
        for (j, c) in lesson.challenges.iter().enumerate() {
            let from = if c.from_step == 0 { "the initial state".to_string() } else { format!("the end of step {}", c.from_step) };
            let _ = writeln!(out, "## Try it {}: {} (from {from}; solved when {})", j + 1, c.prompt.trim(), c.goal.describe());
            for (k, hint) in c.hints.iter().enumerate() {
                let _ = writeln!(out, "   hint {}: {}", k + 1, hint.trim());
            }
            if solutions {
                let _ = writeln!(out, "   solution: {}", c.solution.join(", "));
            }
            out.push('\n');
        }
        out.truncate(out.trim_end().len());
        out.push('\n');
        out
    }

    /// One line for `pex lesson check`: the lesson, its model and config, its size, where it breaks.
    pub fn summary_line(&self) -> String {
        let lesson = self.lesson();
        let breaks: Vec<String> =
            lesson.steps.iter().enumerate().flat_map(|(i, s)| s.breaks.iter().map(move |b| format!("{b} breaks at step {}", i + 1))).collect();
        format!(
            "{}/{}: {}, {}, walk of {}{}",
            lesson.model,
            lesson.config,
            crate::engine::plural(lesson.steps.len(), "step", "steps"),
            crate::engine::plural(lesson.challenges.len(), "challenge", "challenges"),
            crate::engine::plural(self.walk().len() - 1, "action", "actions"),
            if breaks.is_empty() { String::new() } else { format!("; {}", breaks.join(", ")) }
        )
    }
}

fn indent(text: &str) -> String {
    text.lines().map(|l| if l.is_empty() { String::new() } else { format!("   {l}") }).collect::<Vec<_>>().join("\n")
}
