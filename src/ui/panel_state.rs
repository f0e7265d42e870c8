//! A panel's own state, kept across its renders (`use_mut_ref`), with the handle its commands and
//! its worker's callbacks use: change the state and render the panel again, or do so a microtask
//! later. The check panel and the simulation panel are built on it.

use std::cell::{Ref, RefCell};
use std::rc::Rc;
use yew::prelude::*;

pub struct PanelState<S> {
    pub(super) state: Rc<RefCell<S>>,
    pub(super) redraw: UseForceUpdateHandle,
}

impl<S> Clone for PanelState<S> {
    fn clone(&self) -> Self {
        PanelState { state: self.state.clone(), redraw: self.redraw.clone() }
    }
}

impl<S: 'static> PanelState<S> {
    pub fn new(state: Rc<RefCell<S>>, redraw: UseForceUpdateHandle) -> Self {
        PanelState { state, redraw }
    }

    pub fn state(&self) -> Ref<'_, S> {
        self.state.borrow()
    }

    /// Runs `f` on the state, then renders the panel again.
    pub fn change<R>(&self, f: impl FnOnce(&mut S) -> R) -> R {
        let r = f(&mut self.state.borrow_mut());
        self.redraw.force_update();
        r
    }

    /// Runs `f` a microtask later, outside the browser callback that asked for it (a worker or
    /// timer callback may drop its own worker or timer).
    pub fn later(&self, f: impl FnOnce(&Self) + 'static) {
        let hook = self.clone();
        wasm_bindgen_futures::spawn_local(async move { f(&hook) });
    }
}
