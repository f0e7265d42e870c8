//! The trace as a Markdown table, for slides and notes: one row per step with its action, what it
//! changed and which property fails there. (The view exports as SVG and PNG from the page itself:
//! what is drawn on screen is what is exported.)

use super::Explorer;
use crate::engine::trace::changed_paths;
use crate::engine::Lasso;

/// A table cell: pipes and line breaks would end the cell or the row.
fn cell(text: &str) -> String {
    text.replace('\\', "\\\\").replace('|', "\\|").replace(['\n', '\r'], " ")
}

impl Explorer {
    /// The trace as a Markdown table, with a heading naming what would reproduce it.
    pub fn trace_markdown(&self) -> String {
        let m = &self.model;
        let trace = self.session.trace();
        let constants: Vec<String> = m.constants().to_pairs().iter().map(|(k, v)| format!("{k} = {v}")).collect();
        let mut out = format!(
            "**{}** ({}), config `{}`, {}; seed {}.\n\n| step | action | changed | fails here |\n|---:|---|---|---|\n",
            cell(m.info().title),
            m.info().name,
            m.config().name,
            cell(&constants.join(", ")),
            self.seed
        );
        for (i, step) in trace.steps.iter().enumerate() {
            let action = step.action.as_deref().unwrap_or("Init");
            let changed = if i == 0 { String::new() } else { changed_paths(m.as_ref(), &trace.steps[i - 1].state, &step.state).join(", ") };
            let broken = self.verdicts().broken_at(i).unwrap_or_default();
            out.push_str(&format!("| {i} | `{}` | {} | {} |\n", cell(action), cell(&changed), cell(&broken)));
        }
        match trace.lasso {
            Some(Lasso::BackTo(k)) => out.push_str(&format!("\nAfter step {}, the behaviour goes back to step {k} and repeats for ever.\n", trace.len() - 1)),
            Some(Lasso::Stuttering) => out.push_str(&format!("\nFrom step {} on, nothing changes, for ever.\n", trace.len() - 1)),
            None => {}
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_a_row_per_step_with_changes_and_failures() {
        let mut x = Explorer::for_model("seqlock").unwrap();
        x.select_config("no-verify").unwrap();
        for s in crate::explorer::tests::TORN {
            x.take(s).unwrap();
        }
        let md = x.trace_markdown();
        let rows: Vec<&str> = md.lines().filter(|l| l.starts_with("| ") && !l.starts_with("| step")).collect();
        assert_eq!(rows.len(), 12, "{md}");
        assert!(rows[0].starts_with("| 0 | `Init` |"), "{md}");
        assert!(rows[1].contains("`WriterBegin`") && rows[1].contains("ring[0].stamp"), "{md}");
        assert!(rows[11].contains("`ReaderVerify(1)`") && rows[11].ends_with("| NoTornRead |"), "{md}");
        assert!(rows[10].ends_with("|  |"), "nothing fails before the last step: {md}");
        assert!(md.starts_with("**Photon Ring seqlock ring** (seqlock), config `no-verify`"), "{md}");
        assert_eq!(cell("a|b\nc"), "a\\|b c");
    }
}
