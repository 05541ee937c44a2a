//! A tracing subscriber for the drop-in tests: it remembers, for every event, which spans were
//! entered at that moment (outermost first, each with its recorded fields), so a test can
//! assert that `#[tracing::instrument]` put the body of an async method inside its span.
//!
//! It keeps one stack of entered spans for the whole process, so the futures under test must
//! be polled on one thread at a time (`block_on`). Like every subscriber that tracks spans
//! (tracing-subscriber's `Registry`), it reports the innermost entered one as the current span:
//! `tracing::Span::current()` is how a generator method carries its span into the stream.

use std::collections::HashMap;
use std::fmt::{self, Debug, Write as _};
use std::sync::{Arc, Mutex, PoisonError};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use tracing_core::span::Current;

/// What one event saw: its message and the spans entered around it, as `name{field=value}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Seen {
    pub(crate) message: String,
    pub(crate) spans: Vec<String>,
}

#[derive(Default)]
struct State {
    next_id: u64,
    /// Each span's rendering, `name{field=value,…}`.
    spans: HashMap<u64, String>,
    metadata: HashMap<u64, &'static Metadata<'static>>,
    entered: Vec<u64>,
    seen: Vec<Seen>,
}

/// The subscriber; clones share their record.
#[derive(Clone, Default)]
pub(crate) struct Recorder(Arc<Mutex<State>>);

impl Recorder {
    /// Runs `f` with this subscriber as the default one, then returns every event it saw.
    pub(crate) fn record(f: impl FnOnce()) -> Vec<Seen> {
        let recorder = Recorder::default();
        tracing::subscriber::with_default(recorder.clone(), f);
        let state = recorder.0.lock().unwrap_or_else(PoisonError::into_inner);
        state.seen.clone()
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Renders `field=value` pairs, and an event's `message` on its own.
#[derive(Default)]
struct Fields {
    message: String,
    pairs: Vec<String>,
}

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        if field.name() == "message" {
            let _ = write!(self.message, "{value:?}");
        } else {
            self.pairs.push(format!("{}={value:?}", field.name()));
        }
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut fields = Fields::default();
        span.record(&mut fields);
        let mut state = self.state();
        state.next_id += 1;
        let id = state.next_id;
        let rendering = format!("{}{{{}}}", span.metadata().name(), fields.pairs.join(","));
        state.spans.insert(id, rendering);
        state.metadata.insert(id, span.metadata());
        Id::from_u64(id)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        let mut state = self.state();
        let spans = state
            .entered
            .iter()
            .map(|id| state.spans[id].clone())
            .collect();
        state.seen.push(Seen {
            message: fields.message,
            spans,
        });
    }

    fn enter(&self, span: &Id) {
        self.state().entered.push(span.into_u64());
    }

    fn current_span(&self) -> Current {
        let state = self.state();
        match state.entered.last() {
            Some(id) => Current::new(Id::from_u64(*id), state.metadata[id]),
            None => Current::none(),
        }
    }

    fn exit(&self, span: &Id) {
        let mut state = self.state();
        let position = state.entered.iter().rposition(|id| *id == span.into_u64());
        if let Some(position) = position {
            state.entered.remove(position);
        }
    }
}

impl fmt::Debug for Recorder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Recorder")
    }
}

/// Shorthand for an expected event.
pub(crate) fn seen(message: &str, spans: &[&str]) -> Seen {
    Seen {
        message: message.to_owned(),
        spans: spans.iter().map(|s| (*s).to_owned()).collect(),
    }
}
