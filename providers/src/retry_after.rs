//! How long a server asked us to wait: `retry-after-ms` (OpenAI's,
//! milliseconds) or `Retry-After` (seconds, or an HTTP date).

use code_mesh_runtime::platform;
use reqwest::header::HeaderMap;
use std::time::{Duration, UNIX_EPOCH};

/// The wait the response headers ask for, in ms, if they name one.
/// `retry-after-ms` wins over `Retry-After`; a date in the past is a wait
/// of zero; a value that does not parse is ignored.
pub(crate) fn retry_after_ms(headers: &HeaderMap) -> Option<u64> {
    let header = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
    parse(
        header("retry-after-ms"),
        header("retry-after"),
        platform::since_unix_epoch(),
    )
}

/// [`retry_after_ms`] over the two header values, at wall-clock time `now`
/// (since the Unix epoch).
fn parse(retry_after_ms: Option<&str>, retry_after: Option<&str>, now: Duration) -> Option<u64> {
    retry_after_ms
        .and_then(non_negative_number)
        .map(|ms| ms.round() as u64)
        .or_else(|| retry_after.and_then(|value| seconds_or_date(value, now)))
}

/// `Retry-After`'s two forms: delay seconds (`120`; fractions tolerated)
/// or an HTTP date (`Wed, 21 Oct 2015 07:28:00 GMT`).
fn seconds_or_date(value: &str, now: Duration) -> Option<u64> {
    if let Some(seconds) = non_negative_number(value) {
        return Some((seconds * 1_000.0).round() as u64);
    }
    let date = httpdate::parse_http_date(value.trim()).ok()?;
    let at = date.duration_since(UNIX_EPOCH).ok()?;
    let wait = at.saturating_sub(now);
    Some(u64::try_from(wait.as_millis()).unwrap_or(u64::MAX))
}

/// A finite number of at least zero, as servers write them.
fn non_negative_number(value: &str) -> Option<f64> {
    value
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|number| number.is_finite() && *number >= 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    /// Wed, 21 Oct 2015 07:28:00 GMT.
    const OCT_21_2015: Duration = Duration::from_secs(1_445_412_480);

    #[test]
    fn delay_seconds_are_read_as_milliseconds() {
        assert_eq!(parse(None, Some("1"), OCT_21_2015), Some(1_000));
        assert_eq!(parse(None, Some(" 120 "), OCT_21_2015), Some(120_000));
        assert_eq!(parse(None, Some("0.5"), OCT_21_2015), Some(500));
        assert_eq!(parse(None, Some("0"), OCT_21_2015), Some(0));
    }

    #[test]
    fn http_date_is_the_wait_until_then() {
        let now = OCT_21_2015 - Duration::from_secs(30);
        let wait = parse(None, Some("Wed, 21 Oct 2015 07:28:00 GMT"), now);
        assert_eq!(wait, Some(30_000));
    }

    #[test]
    fn http_date_in_the_past_is_no_wait() {
        let now = OCT_21_2015 + Duration::from_secs(5);
        let wait = parse(None, Some("Wed, 21 Oct 2015 07:28:00 GMT"), now);
        assert_eq!(wait, Some(0));
    }

    #[test]
    fn retry_after_ms_wins_over_retry_after() {
        assert_eq!(parse(Some("1500"), Some("7"), OCT_21_2015), Some(1_500));
        assert_eq!(parse(Some("12.6"), None, OCT_21_2015), Some(13));
        // An unreadable `retry-after-ms` leaves `Retry-After` to decide.
        assert_eq!(parse(Some("soon"), Some("2"), OCT_21_2015), Some(2_000));
    }

    #[test]
    fn garbage_negative_and_missing_values_are_ignored() {
        assert_eq!(parse(None, Some("later"), OCT_21_2015), None);
        assert_eq!(parse(None, Some("-3"), OCT_21_2015), None);
        assert_eq!(parse(Some("NaN"), Some("inf"), OCT_21_2015), None);
        assert_eq!(parse(None, None, OCT_21_2015), None);
    }

    #[test]
    fn headers_are_found_case_insensitively() {
        let mut headers = HeaderMap::new();
        headers.insert("Retry-After", HeaderValue::from_static("3"));
        assert_eq!(retry_after_ms(&headers), Some(3_000));
        headers.insert("Retry-After-Ms", HeaderValue::from_static("250"));
        assert_eq!(retry_after_ms(&headers), Some(250));
        assert_eq!(retry_after_ms(&HeaderMap::new()), None);
    }
}
