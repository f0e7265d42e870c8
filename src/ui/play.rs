//! Random play: its speed, its timer and what one tick does. The root component
//! ([`App`](super::app::App)) owns one and lends it the explorer.

use super::dom;
use crate::engine::Lasso;
use crate::explorer::Explorer;
use gloo::timers::callback::Interval;
use std::cell::Cell;
use std::rc::Rc;

/// What the page showed of the trace when the reader asked to play or pause. A tick of play can
/// already be queued, or its rendering under way, when Pause is clicked (or Space pressed); it then
/// runs before the pause is handled and appends steps the page never showed. So where the reader's
/// input is read, synchronously, the step counter the reader is looking at is read off the page
/// ("step C of N"), and the pause goes back to it: play stops at the step the reader saw. (Values
/// noted in `view` or `rendered` were seen to run ahead of or lag behind the page under load: yew
/// renders the root and its panels in separate runs of its scheduler.)
#[derive(Clone, Default)]
pub(super) struct Shown {
    at_toggle: Rc<Cell<Option<(usize, usize)>>>,
}

impl Shown {
    /// The reader asked to play or pause: remember the trace's length and the cursor the page shows.
    pub(super) fn toggle_asked(&self) {
        self.at_toggle.set(shown_on_page());
    }

    /// What the page showed when the reader last asked to play or pause (once).
    pub(super) fn take_at_toggle(&self) -> Option<(usize, usize)> {
        self.at_toggle.take()
    }
}

/// The trace's length and the cursor, as the timeline's step counter shows them.
fn shown_on_page() -> Option<(usize, usize)> {
    let text = dom::document().query_selector("[data-testid=step-counter]").ok()??.text_content()?;
    let (cursor, last) = text.trim().strip_prefix("step ")?.split_once(" of ")?;
    Some((last.trim().parse::<usize>().ok()? + 1, cursor.trim().parse().ok()?))
}

/// Random-play speeds, in steps per second; 0 is "as fast as the page allows".
pub(super) const SPEEDS: [u32; 10] = [1, 2, 5, 10, 20, 50, 100, 500, 1000, 0];
/// Random play stops at this many steps, to bound memory.
const MAX_TRACE: usize = 200_000;

pub(super) struct RandomPlay {
    playing: bool,
    /// The trace's length when play last started (for the notice when it stops).
    played_from: usize,
    /// An index into [`SPEEDS`].
    speed: usize,
    timer: Option<Interval>,
}

impl RandomPlay {
    pub(super) fn new() -> RandomPlay {
        RandomPlay { playing: false, played_from: 0, speed: 3, timer: None }
    }

    pub(super) fn playing(&self) -> bool {
        self.playing
    }

    pub(super) fn speed(&self) -> usize {
        self.speed
    }

    pub(super) fn stop(&mut self) {
        self.playing = false;
        self.timer = None;
    }

    /// Starts the timer that calls `tick` at the current speed (again, if it was running).
    fn start(&mut self, tick: impl FnMut() + 'static) {
        let speed = SPEEDS[self.speed];
        let ms = if speed == 0 || speed > 20 { 50 } else { 1000 / speed };
        self.timer = Some(Interval::new(ms, tick));
        self.playing = true;
    }

    /// Play or pause; a pause after a long play that broke nothing says where to look instead.
    pub(super) fn toggle(&mut self, x: &mut Explorer, tick: impl FnMut() + 'static) {
        if self.playing {
            self.stop();
            self.suggest_search(x);
        } else {
            self.played_from = x.session().len();
            self.start(tick);
        }
    }

    /// Sets the speed (an index into [`SPEEDS`], clamped), restarting the timer when playing.
    pub(super) fn set_speed(&mut self, i: usize, tick: impl FnMut() + 'static) {
        self.speed = i.min(SPEEDS.len() - 1);
        if self.playing {
            self.start(tick);
        }
    }

    /// One tick of random play: one step, or as many as the speed asks for. A tick that arrives
    /// after play stopped does nothing.
    pub(super) fn tick(&mut self, x: &mut Explorer) {
        if !self.playing {
            return;
        }
        let speed = SPEEDS[self.speed];
        let budget_ms = 25.0;
        let started = dom::now();
        let steps = if speed == 0 {
            usize::MAX
        } else if speed > 20 {
            (speed / 20) as usize
        } else {
            1
        };
        if let Some(lasso) = x.lasso() {
            // A liveness counterexample plays as its behaviour goes: along the trace, then around
            // its loop for ever (a stuttering end stays put).
            for _ in 0..steps.min(1000) {
                let last = x.session().len() - 1;
                if lasso == Lasso::Stuttering && x.session().cursor() == last {
                    self.stop();
                    x.notices_mut().info(format!("From step {last} on, nothing changes: the behaviour stutters there for ever."));
                    return;
                }
                x.forward();
                if speed == 0 && dom::now() - started > budget_ms {
                    break;
                }
            }
            return;
        }
        for _ in 0..steps {
            if x.session().len() >= MAX_TRACE {
                self.stop();
                x.notices_mut().info(format!("Random play stopped at {MAX_TRACE} steps."));
                self.suggest_search(x);
                return;
            }
            // Play continues from the end of the trace.
            let last = x.session().len() - 1;
            if x.session().cursor() != last {
                x.go_to(last);
            }
            match x.random_step() {
                None => {
                    self.stop();
                    let why = if x.session().outside_constraint() {
                        "this state is outside the model's state constraint"
                    } else if x.skip_stutter && !x.session().choices().is_empty() {
                        "every enabled action leaves the state as it is, and such steps are skipped"
                    } else {
                        "no action is enabled (a deadlock)"
                    };
                    x.notices_mut().info(format!("Random play stopped: {why}."));
                    return;
                }
                Some((_, Some(broken))) if x.stop_at_violation => {
                    self.stop();
                    let at = x.session().cursor();
                    x.notices_mut().info(format!("Random play stopped at step {at}: {broken} fails."));
                    return;
                }
                Some(_) => {}
            }
            if speed == 0 && dom::now() - started > budget_ms {
                break;
            }
        }
    }

    /// After random play that broke nothing, on a configuration expected to break something:
    /// says where a violation is found faster.
    fn suggest_search(&self, x: &mut Explorer) {
        let played = x.session().len().saturating_sub(self.played_from);
        if played < 100 || x.verdicts().first_violation().is_some() {
            return;
        }
        if let Some(expect) = x.model().config().expect {
            x.notices_mut().info(format!(
                "{} of random play broke nothing. To find where {expect} fails: \"Find a violation\" runs many walks that skip steps changing nothing, and the exhaustive check finds the shortest counterexample.",
                crate::engine::plural(played, "step", "steps")
            ));
        }
    }
}
