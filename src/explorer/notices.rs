//! Notices: the messages the explorer shows the user, at most three, newest last, no repeats.

use super::Explorer;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    Info,
    Warning,
    Error,
}

/// A message for the user. Errors and warnings stay until dismissed; the page lets an info
/// notice fade after a few seconds ([`INFO_NOTICE_MS`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub text: String,
    /// Unique among the notices this explorer has shown (dismissal is by id, so a notice that
    /// fades cannot take another with it).
    pub id: u64,
}

impl Notice {
    pub(super) fn info(text: impl Into<String>) -> Notice {
        Notice { kind: NoticeKind::Info, text: text.into(), id: 0 }
    }
    pub(super) fn warning(text: impl Into<String>) -> Notice {
        Notice { kind: NoticeKind::Warning, text: text.into(), id: 0 }
    }
    pub(super) fn error(text: impl Into<String>) -> Notice {
        Notice { kind: NoticeKind::Error, text: text.into(), id: 0 }
    }
}

/// How long the page shows an info notice.
pub const INFO_NOTICE_MS: u32 = 8_000;

/// The notices on screen: the newest [`Notices::MAX`], without repeats.
#[derive(Clone, Debug, Default)]
pub struct Notices {
    items: Vec<Notice>,
    next_id: u64,
}

impl Notices {
    /// At most this many notices show at once; a new one pushes out the oldest.
    pub const MAX: usize = 3;

    /// Shows `notice`, newest last; the same text shown again replaces its older copy.
    pub fn push(&mut self, mut notice: Notice) {
        self.items.retain(|n| n.text != notice.text);
        self.next_id += 1;
        notice.id = self.next_id;
        self.items.push(notice);
        if self.items.len() > Self::MAX {
            self.items.remove(0);
        }
    }

    /// Shows `text` as an info notice (see [`Notices::push`]).
    pub fn info(&mut self, text: impl Into<String>) {
        self.push(Notice::info(text));
    }

    /// Shows `text` as a warning.
    pub fn warning(&mut self, text: impl Into<String>) {
        self.push(Notice::warning(text));
    }

    /// Shows `text` as an error.
    pub fn error(&mut self, text: impl Into<String>) {
        self.push(Notice::error(text));
    }

    pub fn dismiss(&mut self, id: u64) {
        self.items.retain(|n| n.id != id);
    }

    pub fn as_slice(&self) -> &[Notice] {
        &self.items
    }
}

impl Explorer {
    /// The notices on screen.
    pub fn notices(&self) -> &Notices {
        &self.notices
    }

    /// The notices, to show one (`push`) or dismiss one.
    pub fn notices_mut(&mut self) -> &mut Notices {
        &mut self.notices
    }
}
