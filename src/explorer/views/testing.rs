//! Helpers for the views' tests: the drawing after a sequence of actions, and what a drawn part
//! says.

use crate::catalogue;
use crate::engine::replay;
use crate::explorer::draw::Drawing;

/// The view of `model` (config `config`, default constants) after taking `labels` in turn.
pub fn drawing_after(model: &str, config: &str, labels: &[&str]) -> Drawing {
    let m = catalogue::build(model, config, &[]).unwrap();
    let labels: Vec<String> = labels.iter().map(|s| s.to_string()).collect();
    let (trace, stop) = replay(m.as_ref(), 0, &labels);
    assert!(stop.is_none(), "{stop:?}");
    let n = trace.len();
    let prev = if n > 1 { Some(&trace.steps[n - 2].state) } else { None };
    catalogue::builtin().draw(m.as_ref(), prev, &trace.steps[n - 1].state).unwrap()
}

/// The class of the drawn part with this id.
pub fn class_of(d: &Drawing, id: &str) -> String {
    d.find(id).unwrap_or_else(|| panic!("no {id} in {:?}", d.ids())).class().to_string()
}

/// The texts of the drawn part with this id.
pub fn texts_of(d: &Drawing, id: &str) -> Vec<String> {
    d.find(id).unwrap_or_else(|| panic!("no {id} in {:?}", d.ids())).texts()
}
