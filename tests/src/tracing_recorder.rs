//! A recording tracing subscriber, for the tests of `#[tracing::instrument]` on the methods
//! the macros rewrite: for every event it remembers the message and the spans the event sat
//! in, outermost first, each rendered `name{field=value,…}` (fields in the order they were
//! recorded, values as their `Debug` text). tracing-subscriber's `Registry` tracks the spans
//! (per thread, as a real application's subscriber does, and `Span::current()` with them,
//! which is how a generator method carries its span into its stream); this layer only
//! records.

use std::fmt::{Debug, Write as _};
use std::sync::{Arc, Mutex, PoisonError};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::{LookupSpan, Registry};

/// What one event saw: its message and the spans around it, as `name{field=value,…}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub message: String,
    pub spans: Vec<String>,
}

/// An expected event, for comparing with what [`Recorder::record`] returns.
#[must_use]
pub fn seen(message: &str, spans: &[&str]) -> Seen {
    Seen {
        message: message.to_owned(),
        spans: spans.iter().map(|span| (*span).to_owned()).collect(),
    }
}

/// The recording layer; clones share their record.
#[derive(Clone, Debug, Default)]
pub struct Recorder(Arc<Mutex<Vec<Seen>>>);

impl Recorder {
    /// Runs `body` with a subscriber made of this layer as the default one (on this thread),
    /// then returns every event it saw, in order.
    pub fn record(body: impl FnOnce()) -> Vec<Seen> {
        let recorder = Recorder::default();
        let subscriber = Registry::default().with(recorder.clone());
        tracing::subscriber::with_default(subscriber, body);
        std::mem::take(&mut *recorder.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// A span's rendering, kept in the registry's extensions of that span.
struct Rendered(String);

/// Collects `field=value` pairs, and an event's `message` on its own.
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

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Recorder {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        attrs.record(&mut fields);
        if let Some(span) = ctx.span(id) {
            let rendered = format!("{}{{{}}}", span.name(), fields.pairs.join(","));
            span.extensions_mut().insert(Rendered(rendered));
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        let spans = ctx
            .event_scope(event)
            .map(|scope| {
                scope
                    .from_root()
                    .map(|span| {
                        let extensions = span.extensions();
                        extensions
                            .get::<Rendered>()
                            .map_or_else(|| format!("{}{{}}", span.name()), |r| r.0.clone())
                    })
                    .collect()
            })
            .unwrap_or_default();
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Seen {
                message: fields.message,
                spans,
            });
    }
}
