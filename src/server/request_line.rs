//! How the text log writes the line of each request (target `esam_kg::request`): the same
//! shape as `tracing_subscriber`'s full format (`2026-12-04T04:17:00.123456Z  INFO
//! esam_kg::request: request method=GET path=/sparql status=200 latency_ms=0.124
//! query_hash=…`), written without the formatting machinery. Every other event, an event
//! inside a span, and every event on a terminal (colours) go to the full format itself.
//!
//! Why: the full format cost 10,400 instructions a request, 12 % of a trivial ASK
//! (callgrind, one connection, 2026-12-04): the timestamp through its calendar every time,
//! styles asked of `nu_ansi_term` even with colours off, and each field through `fmt::write`.
//! Here the timestamp's date and time of day are made once a second per thread, and fields
//! are copied as they come.

use std::cell::RefCell;
use std::fmt;
use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

use oxsdatatypes::{DateTime, DayTimeDuration};
use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::fmt::format::{Format, Full, Writer};
use tracing_subscriber::fmt::time::SystemTime as FullTimer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::registry::LookupSpan;

/// The target of the request log's events (`server::ops::record`).
pub const TARGET: &str = "esam_kg::request";

/// The text log's event format: request lines written directly, the rest by `fallback`.
#[derive(Debug, Default)]
pub struct RequestLines {
    fallback: Format<Full, FullTimer>,
}

impl<S, N> FormatEvent<S, N> for RequestLines
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(&self, context: &FmtContext<'_, S, N>, mut writer: Writer<'_>, event: &Event<'_>) -> fmt::Result {
        let metadata = event.metadata();
        if metadata.target() != TARGET || writer.has_ansi_escapes() || context.lookup_current().is_some() {
            return self.fallback.format_event(context, writer, event);
        }
        write_timestamp(&mut writer, SystemTime::now())?;
        // The full format's level column: five wide, right-aligned.
        write!(writer, " {:>5} ", metadata.level())?;
        writer.write_str(TARGET)?;
        writer.write_str(":")?;
        let mut fields = Fields {
            writer: &mut writer,
            result: Ok(()),
        };
        event.record(&mut fields);
        fields.result?;
        writer.write_char('\n')
    }
}

/// The date and time of day of one second since 1970, as the full format writes them
/// (`2026-12-04T04:17:00`), kept for the next event of the same second on this thread.
struct Second {
    since_epoch: u64,
    text: String,
}

thread_local! {
    static SECOND: RefCell<Option<Second>> = const { RefCell::new(None) };
}

/// `2026-12-04T04:17:00.123456Z`, UTC with microseconds, like `tracing_subscriber`'s
/// `SystemTime` timer.
fn write_timestamp(writer: &mut impl fmt::Write, now: SystemTime) -> fmt::Result {
    let since = now.duration_since(UNIX_EPOCH).unwrap_or_default();
    let seconds = since.as_secs();
    SECOND.with(|kept| {
        let mut kept = kept.borrow_mut();
        if kept.as_ref().is_none_or(|second| second.since_epoch != seconds) {
            *kept = Some(Second {
                since_epoch: seconds,
                text: date_and_time_of_day(seconds),
            });
        }
        let text = kept.as_ref().map_or("", |second| second.text.as_str());
        writer.write_str(text)
    })?;
    writer.write_char('.')?;
    write_padded(writer, u64::from(since.subsec_micros()), 6)?;
    writer.write_char('Z')
}

/// `2026-12-04T04:17:00` for `seconds` since 1970 (UTC), by the calendar of `xsd:dateTime`.
fn date_and_time_of_day(seconds: u64) -> String {
    let epoch = DateTime::from_str("1970-01-01T00:00:00Z").ok();
    let at = epoch.and_then(|epoch| epoch.checked_add_day_time_duration(DayTimeDuration::new(seconds)));
    match at {
        // Whole seconds in UTC print as `…T04:17:00Z`.
        Some(at) => at.to_string().trim_end_matches('Z').to_string(),
        // Past xsd:dateTime's range (not before the year 292,277,026,596).
        None => seconds.to_string(),
    }
}

/// `value` in decimal, zero-padded to `width` digits.
fn write_padded(writer: &mut impl fmt::Write, value: u64, width: usize) -> fmt::Result {
    let mut digits = [b'0'; 20];
    let mut rest = value;
    let mut at = digits.len();
    while rest > 0 {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    let start = at.min(digits.len() - width.min(digits.len()));
    // Only ASCII digits were written.
    writer.write_str(std::str::from_utf8(&digits[start..]).unwrap_or("0"))
}

/// Writes an event's fields as the full format does: the message, then ` name=value`.
struct Fields<'w, 'a> {
    writer: &'w mut Writer<'a>,
    result: fmt::Result,
}

impl Fields<'_, '_> {
    fn field(&mut self, field: &Field, value: impl FnOnce(&mut Writer<'_>) -> fmt::Result) {
        if self.result.is_err() {
            return;
        }
        self.result = (|| {
            self.writer.write_char(' ')?;
            if field.name() != "message" {
                self.writer.write_str(field.name())?;
                self.writer.write_char('=')?;
            }
            value(self.writer)
        })();
    }
}

impl Visit for Fields<'_, '_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.field(field, |writer| writer.write_str(value));
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.field(field, |writer| write_padded(writer, value, 1));
    }

    fn record_f64(&mut self, field: &Field, value: f64) {
        self.field(field, |writer| write_milli(writer, value));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.field(field, |writer| write!(writer, "{value:?}"));
    }
}

/// A non-negative `value` with three decimals (`0.124`); anything else as Rust prints it.
fn write_milli(writer: &mut impl fmt::Write, value: f64) -> fmt::Result {
    // Beyond 2^53 thousandths the rounding below is no longer exact.
    if !(0.0..9.0e12).contains(&value) {
        return write!(writer, "{value:?}");
    }
    let thousandths = (value * 1000.0).round() as u64;
    write_padded(writer, thousandths / 1000, 1)?;
    writer.write_char('.')?;
    write_padded(writer, thousandths % 1000, 3)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};
    use std::time::Duration;
    use tracing_subscriber::fmt::MakeWriter;

    /// The lines a subscriber wrote.
    #[derive(Clone, Default)]
    struct Lines(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Lines {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl<'a> MakeWriter<'a> for Lines {
        type Writer = Self;
        fn make_writer(&'a self) -> Self {
            self.clone()
        }
    }

    impl Lines {
        fn text(&self) -> String {
            String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
        }
    }

    /// What `log` wrote, through our format and through the full format alone.
    fn both_formats(log: impl Fn()) -> (String, String) {
        let ours = Lines::default();
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_writer(ours.clone())
            .event_format(RequestLines::default())
            .finish();
        tracing::subscriber::with_default(subscriber, &log);
        let full = Lines::default();
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_writer(full.clone())
            .finish();
        tracing::subscriber::with_default(subscriber, &log);
        (ours.text(), full.text())
    }

    /// A line without its timestamp (up to the first space), checking the timestamp's shape.
    fn after_timestamp(line: &str) -> &str {
        let (timestamp, rest) = line.split_once(' ').unwrap();
        // 2026-12-04T04:17:00.123456Z
        assert_eq!(timestamp.len(), 27, "{line}");
        assert!(timestamp.ends_with('Z') && timestamp.as_bytes()[19] == b'.', "{line}");
        rest
    }

    #[test]
    fn a_request_line_reads_as_the_full_format_writes_it() {
        let (ours, full) = both_formats(|| {
            tracing::info!(
                target: "esam_kg::request",
                method = "GET",
                path = "/sparql",
                status = 200u16,
                latency_ms = 0.1236,
                query_hash = "6ec92139abfdc95a",
                "request"
            );
        });
        assert_eq!(
            after_timestamp(&ours),
            " INFO esam_kg::request: request method=GET path=/sparql status=200 latency_ms=0.124 \
             query_hash=6ec92139abfdc95a\n"
        );
        // The full format writes strings quoted and the latency unrounded; all else is equal.
        assert_eq!(
            after_timestamp(&full),
            " INFO esam_kg::request: request method=\"GET\" path=\"/sparql\" status=200 latency_ms=0.1236 \
             query_hash=\"6ec92139abfdc95a\"\n"
        );
    }

    #[test]
    fn other_events_are_left_to_the_full_format() {
        let (ours, full) = both_formats(|| {
            tracing::warn!(target: "esam_kg::server", port = 7878, "could not bind");
            let span = tracing::info_span!("import", file = "a.txt");
            let _entered = span.enter();
            tracing::info!(target: "esam_kg::request", status = 500u16, "request");
        });
        let ours: Vec<&str> = ours.lines().map(after_timestamp).collect();
        let full: Vec<&str> = full.lines().map(after_timestamp).collect();
        assert_eq!(ours, full);
        assert_eq!(ours.len(), 2);
        assert!(ours[1].contains("import{file=\"a.txt\"}"), "{ours:?}");
    }

    #[test]
    fn timestamps_are_utc_with_microseconds() {
        let at = |seconds: u64, micros: u64| {
            let mut text = String::new();
            write_timestamp(
                &mut text,
                UNIX_EPOCH + Duration::from_micros(seconds * 1_000_000 + micros),
            )
            .unwrap();
            text
        };
        assert_eq!(at(0, 0), "1970-01-01T00:00:00.000000Z");
        assert_eq!(at(1_796_357_820, 123_456), "2026-12-04T04:17:00.123456Z");
        // The same second again (the kept text), then the next one and a leap day.
        assert_eq!(at(1_796_357_820, 7), "2026-12-04T04:17:00.000007Z");
        assert_eq!(at(1_796_357_821, 999_999), "2026-12-04T04:17:01.999999Z");
        assert_eq!(at(951_825_599, 0), "2000-02-29T11:59:59.000000Z");
        assert_eq!(at(4_107_542_400, 0), "2100-03-01T00:00:00.000000Z");
    }

    #[test]
    fn latencies_have_three_decimals() {
        let milli = |value: f64| {
            let mut text = String::new();
            write_milli(&mut text, value).unwrap();
            text
        };
        assert_eq!(milli(0.0), "0.000");
        assert_eq!(milli(0.1236), "0.124");
        assert_eq!(milli(12.0006), "12.001");
        assert_eq!(milli(1234.5), "1234.500");
        assert_eq!(milli(-1.5), "-1.5");
        assert_eq!(milli(f64::NAN), "NaN");
    }
}
