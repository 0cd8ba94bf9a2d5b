//! Dates as briefings write them, keeping the precision they were written with.

use std::cmp::Ordering;
use std::fmt;

/// How precisely a date was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Precision {
    /// `2025`
    Year,
    /// `2025-10`
    Month,
    /// `2025-10-14`
    Day,
    /// `2025-10-14T17:23`, local time as printed
    Minute,
    /// `2025-10-14T17:23:05`, local time as printed
    Second,
}

/// A date with the precision it was written with, and an optional UTC offset
/// (only for full RFC 3339 timestamps).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Date {
    /// The text exactly as written.
    pub text: String,
    year: u16,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
    /// The precision the date was written with.
    pub precision: Precision,
    /// The offset from UTC in minutes, for RFC 3339 timestamps.
    pub offset_minutes: Option<i16>,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Date {
    /// Parses one of the forms docs/format.md allows; the error says what is wrong.
    pub fn parse(text: &str) -> Result<Date, String> {
        let invalid = || {
            format!(
                "`{text}` is not a date: write YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS] or an RFC 3339 timestamp"
            )
        };
        let (date_part, time_part) = match text.split_once(['T', 't']) {
            Some((d, t)) => (d, Some(t)),
            None => (text, None),
        };
        let fields: Vec<&str> = date_part.split('-').collect();
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        let ok_shape = match fields.as_slice() {
            [y] => digits(y, 4),
            [y, m] => digits(y, 4) && digits(m, 2),
            [y, m, d] => digits(y, 4) && digits(m, 2) && digits(d, 2),
            _ => false,
        };
        if !ok_shape || (time_part.is_some() && fields.len() != 3) {
            return Err(invalid());
        }
        let num = |s: &str| s.parse::<u16>().map_err(|_| invalid());
        let year = num(fields[0])?;
        let month = fields.get(1).map(|m| num(m)).transpose()?.unwrap_or(0) as u8;
        let day = fields.get(2).map(|d| num(d)).transpose()?.unwrap_or(0) as u8;
        if fields.len() >= 2 && !(1..=12).contains(&month) {
            return Err(format!(
                "`{text}` has no month {month}: months run from 01 to 12"
            ));
        }
        if fields.len() == 3 && (day == 0 || day > days_in_month(year, month)) {
            return Err(format!(
                "`{text}` is not a day of the calendar: {} {year} has {} days",
                MONTHS[month as usize - 1],
                days_in_month(year, month)
            ));
        }
        let mut date = Date {
            text: text.to_string(),
            year,
            month,
            day,
            hour: 0,
            minute: 0,
            second: 0,
            precision: [Precision::Year, Precision::Month, Precision::Day][fields.len() - 1],
            offset_minutes: None,
        };
        if let Some(time) = time_part {
            date.parse_time(time).ok_or_else(invalid)??;
        }
        Ok(date)
    }

    /// Reads `HH:MM[:SS][.fraction][Z|±HH:MM]`; the outer `None` is a malformed
    /// time, the inner error an impossible one.
    fn parse_time(&mut self, time: &str) -> Option<Result<(), String>> {
        let (clock, zone) = match time.find(['Z', 'z', '+', '-']) {
            Some(i) => (&time[..i], Some(&time[i..])),
            None => (time, None),
        };
        let (clock, fraction) = match clock.split_once('.') {
            Some((c, f)) => (c, Some(f)),
            None => (clock, None),
        };
        let parts: Vec<&str> = clock.split(':').collect();
        let two = |s: &str| {
            (s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse::<u8>().ok())?
        };
        let (hour, minute, second) = match parts.as_slice() {
            [h, m] => (two(h)?, two(m)?, None),
            [h, m, s] => (two(h)?, two(m)?, Some(two(s)?)),
            _ => return None,
        };
        if fraction.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
            return None;
        }
        if fraction.is_some() && second.is_none() {
            return None;
        }
        if let Some(zone) = zone {
            // A zone makes it a full RFC 3339 timestamp, which needs seconds.
            second?;
            self.offset_minutes = Some(parse_offset(zone)?);
        }
        if hour > 23 || minute > 59 || second.unwrap_or(0) > 60 {
            return Some(Err(format!("`{}` is not a time of day", self.text)));
        }
        self.hour = hour;
        self.minute = minute;
        self.second = second.unwrap_or(0);
        self.precision = if second.is_some() {
            Precision::Second
        } else {
            Precision::Minute
        };
        Some(Ok(()))
    }

    /// The date as a reader sees it: "2025", "October 2025", "3 February 2026",
    /// "4 February 2026, 17:23".
    pub fn display(&self) -> String {
        let mut s = String::with_capacity(32);
        if self.precision >= Precision::Day {
            push_number(&mut s, self.day.into(), 1);
            s.push(' ');
        }
        if self.precision >= Precision::Month {
            s.push_str(MONTHS[self.month as usize - 1]);
            s.push(' ');
        }
        push_number(&mut s, self.year.into(), 1);
        if self.precision >= Precision::Minute {
            s.push_str(", ");
            self.push_time(&mut s);
            match self.offset_minutes {
                Some(0) => s.push_str(" UTC"),
                Some(m) => {
                    s.push_str(" UTC");
                    push_offset(&mut s, m);
                }
                None => {}
            }
        }
        s
    }

    /// The start of the date as a full RFC 3339 timestamp, for formats that
    /// require one (Web Annotations, Atom): a missing month or day is the
    /// first, a missing time midnight, a missing zone UTC.
    pub fn timestamp(&self) -> String {
        let mut s = String::with_capacity(25);
        push_number(&mut s, self.year.into(), 4);
        s.push('-');
        push_number(&mut s, self.month.max(1).into(), 2);
        s.push('-');
        push_number(&mut s, self.day.max(1).into(), 2);
        s.push('T');
        push_number(&mut s, self.hour.into(), 2);
        s.push(':');
        push_number(&mut s, self.minute.into(), 2);
        s.push(':');
        push_number(&mut s, self.second.into(), 2);
        match self.offset_minutes {
            Some(m) => push_offset(&mut s, m),
            None => s.push('Z'),
        }
        s
    }

    /// The date in the form HTML's `<time datetime>` accepts, at its own precision.
    pub fn machine(&self) -> String {
        let mut s = String::with_capacity(25);
        push_number(&mut s, self.year.into(), 4);
        if self.precision >= Precision::Month {
            s.push('-');
            push_number(&mut s, self.month.into(), 2);
        }
        if self.precision >= Precision::Day {
            s.push('-');
            push_number(&mut s, self.day.into(), 2);
        }
        if self.precision >= Precision::Minute {
            s.push('T');
            self.push_time(&mut s);
            if let Some(m) = self.offset_minutes {
                push_offset(&mut s, m);
            }
        }
        s
    }

    /// `17:23`, or `17:23:05` when the seconds were written.
    fn push_time(&self, s: &mut String) {
        push_number(s, self.hour.into(), 2);
        s.push(':');
        push_number(s, self.minute.into(), 2);
        if self.precision == Precision::Second {
            s.push(':');
            push_number(s, self.second.into(), 2);
        }
    }

    fn sort_key(&self) -> (u16, u8, u8, u8, u8, u8, Precision) {
        (
            self.year,
            self.month,
            self.day,
            self.hour,
            self.minute,
            self.second,
            self.precision,
        )
    }
}

impl Ord for Date {
    /// Chronological by the date as written; a less precise date sorts before
    /// the more precise dates inside its span.
    fn cmp(&self, other: &Self) -> Ordering {
        self.sort_key()
            .cmp(&other.sort_key())
            .then_with(|| self.text.cmp(&other.text))
    }
}

impl PartialOrd for Date {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

fn parse_offset(zone: &str) -> Option<i16> {
    if zone.eq_ignore_ascii_case("z") {
        return Some(0);
    }
    let sign: i16 = if zone.starts_with('-') { -1 } else { 1 };
    let (h, m) = zone[1..].split_once(':')?;
    let ok = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !ok(h) || !ok(m) {
        return None;
    }
    let (h, m): (i16, i16) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(sign * (h * 60 + m))
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Appends `n` in decimal, with zeros before it to make at least `width`
/// digits: what `format!("{n:0width$}")` writes, without the formatting
/// machinery, which dates on every page made costly.
fn push_number(s: &mut String, n: u32, width: usize) {
    let mut digits = [b'0'; 10];
    let mut start = digits.len();
    let mut rest = n;
    loop {
        start -= 1;
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for _ in digits.len() - start..width {
        s.push('0');
    }
    for &d in &digits[start..] {
        s.push(char::from(d));
    }
}

/// An offset from UTC: `+02:00`, `-05:30`.
fn push_offset(s: &mut String, minutes: i16) {
    s.push(if minutes < 0 { '-' } else { '+' });
    let m = u32::from(minutes.unsigned_abs());
    push_number(s, m / 60, 2);
    s.push(':');
    push_number(s, m % 60, 2);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn shown_with_the_precision_written() {
        assert_eq!(d("2025").display(), "2025");
        assert_eq!(d("2025-10").display(), "October 2025");
        assert_eq!(d("2026-02-03").display(), "3 February 2026");
        assert_eq!(d("2026-02-04T17:23").display(), "4 February 2026, 17:23");
        assert_eq!(
            d("2026-02-04T17:23:05").display(),
            "4 February 2026, 17:23:05"
        );
        assert_eq!(
            d("2026-02-04T17:23:05Z").display(),
            "4 February 2026, 17:23:05 UTC"
        );
        assert_eq!(
            d("2026-02-04T17:23:05-05:00").display(),
            "4 February 2026, 17:23:05 UTC-05:00"
        );
        assert_eq!(
            d("2026-02-04T17:23:05.25+01:30").machine(),
            "2026-02-04T17:23:05+01:30"
        );
    }

    #[test]
    fn less_precise_dates_sort_first_within_their_span() {
        let mut dates = [
            d("2025-10-02"),
            d("2026"),
            d("2025-10"),
            d("2025"),
            d("2025-10-01T09:00"),
        ];
        dates.sort();
        let texts: Vec<_> = dates.iter().map(|d| d.text.as_str()).collect();
        assert_eq!(
            texts,
            ["2025", "2025-10", "2025-10-01T09:00", "2025-10-02", "2026"]
        );
    }

    #[test]
    fn impossible_and_malformed_dates_are_rejected() {
        for bad in [
            "2025-13",
            "2025-02-29",
            "2025-1-5",
            "25",
            "2025/10/01",
            "2025-10-01T25:00",
            "2025-10-01T10",
            "2025-10-01T10:00Z",
            "2025-10T10:00",
            "yesterday",
            "",
            "2025-10-01T10:00:00+5",
        ] {
            assert!(Date::parse(bad).is_err(), "{bad} should be rejected");
        }
        assert!(Date::parse("2024-02-29").is_ok());
    }
}

#[cfg(test)]
mod formatting {
    use super::*;
    use proptest::prelude::*;

    /// The formatted forms, written with `format!`: what the digits written
    /// by hand must match.
    fn formatted(d: &Date) -> (String, String, String) {
        let offset = |m: i16| {
            let sign = if m < 0 { '-' } else { '+' };
            let m = m.unsigned_abs();
            format!("{sign}{:02}:{:02}", m / 60, m % 60)
        };
        let time = match d.precision {
            Precision::Second => format!("{:02}:{:02}:{:02}", d.hour, d.minute, d.second),
            _ => format!("{:02}:{:02}", d.hour, d.minute),
        };
        let month = MONTHS[d.month as usize - 1];
        let display = match d.precision {
            Precision::Year => format!("{}", d.year),
            Precision::Month => format!("{month} {}", d.year),
            Precision::Day => format!("{} {month} {}", d.day, d.year),
            Precision::Minute | Precision::Second => {
                let zone = match d.offset_minutes {
                    Some(0) => " UTC".to_string(),
                    Some(m) => format!(" UTC{}", offset(m)),
                    None => String::new(),
                };
                format!("{} {month} {}, {time}{zone}", d.day, d.year)
            }
        };
        let machine = match d.precision {
            Precision::Year => format!("{:04}", d.year),
            Precision::Month => format!("{:04}-{:02}", d.year, d.month),
            Precision::Day => format!("{:04}-{:02}-{:02}", d.year, d.month, d.day),
            Precision::Minute | Precision::Second => format!(
                "{:04}-{:02}-{:02}T{time}{}",
                d.year,
                d.month,
                d.day,
                d.offset_minutes.map(offset).unwrap_or_default()
            ),
        };
        let timestamp = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}",
            d.year,
            d.month.max(1),
            d.day.max(1),
            d.hour,
            d.minute,
            d.second,
            d.offset_minutes.map_or("Z".to_string(), offset)
        );
        (display, machine, timestamp)
    }

    proptest! {
        #[test]
        fn digits_are_written_as_format_writes_them(
            year in 0u16..=u16::MAX,
            month in 1u8..=12,
            day in 1u8..=31,
            hour in 0u8..=23,
            minute in 0u8..=59,
            second in 0u8..=60,
            precision in 0usize..5,
            offset in proptest::option::of(-1439i16..=1439),
        ) {
            let precision = [
                Precision::Year,
                Precision::Month,
                Precision::Day,
                Precision::Minute,
                Precision::Second,
            ][precision];
            let d = Date {
                text: String::new(),
                year,
                month,
                day,
                hour,
                minute,
                second,
                precision,
                offset_minutes: offset,
            };
            prop_assert_eq!((d.display(), d.machine(), d.timestamp()), formatted(&d));
        }
    }
}
