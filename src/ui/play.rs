//! Random play: its speed, its timer and what one tick does. The root component
//! ([`App`](super::app::App)) owns one and lends it the explorer.

use super::dom;
use crate::engine::Lasso;
use crate::explorer::Explorer;
use gloo::timers::callback::Interval;
use std::cell::Cell;
use std::rc::Rc;

/// What the page shows of the trace (its length and the cursor) as of the last render, and what
/// it showed when the reader asked for a pause. A tick of play can already be queued when Pause
/// is clicked (or Space pressed) and run before the pause is handled, appending steps the page
/// never showed; the pause then goes back to what was shown, so play stops at the step the reader
/// saw. Noted where the reader's input is read, synchronously, before any queued message runs.
#[derive(Clone, Default)]
pub(super) struct Shown {
    now: Rc<Cell<(usize, usize)>>,
    at_pause: Rc<Cell<Option<(usize, usize)>>>,
}

impl Shown {
    /// At each render: the trace's length and the cursor it puts on the page.
    pub(super) fn rendered(&self, len: usize, cursor: usize) {
        self.now.set((len, cursor));
    }

    /// The reader asked to play or pause: remember what the page shows.
    pub(super) fn toggle_asked(&self) {
        self.at_pause.set(Some(self.now.get()));
    }

    /// What the page showed when the reader last asked to play or pause (once).
    pub(super) fn take_at_toggle(&self) -> Option<(usize, usize)> {
        self.at_pause.take()
    }
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
