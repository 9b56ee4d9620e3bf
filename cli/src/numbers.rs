//! How token counts and dollar amounts are shown to people.

/// `1234567` as `1,234,567`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// A price per million tokens: at least two decimals, up to four when they
/// matter (`$2.50`, `$0.075`, `$0.0025`).
pub fn price(usd: f64) -> String {
    let mut text = format!("{usd:.4}");
    while text.ends_with('0') && text.len() - text.find('.').unwrap_or(text.len()) > 3 {
        text.pop();
    }
    format!("${text}")
}

/// What requests cost: cents for a dollar or more, four decimals below
/// (`$12.35`, `$0.0031`), and `<$0.0001` for less.
pub fn cost(usd: f64) -> String {
    if usd >= 1.0 {
        format!("${usd:.2}")
    } else if usd > 0.0 && usd < 0.000_05 {
        "<$0.0001".to_string()
    } else {
        format!("${usd:.4}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_group_thousands() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1_234), "1,234");
        assert_eq!(count(1_047_576), "1,047,576");
    }

    #[test]
    fn prices_keep_the_decimals_that_matter() {
        assert_eq!(price(2.5), "$2.50");
        assert_eq!(price(10.0), "$10.00");
        assert_eq!(price(0.075), "$0.075");
        assert_eq!(price(0.0025), "$0.0025");
    }

    #[test]
    fn costs_show_cents_or_four_decimals() {
        assert_eq!(cost(12.345_6), "$12.35");
        assert_eq!(cost(0.003_14), "$0.0031");
        assert_eq!(cost(0.0), "$0.0000");
        assert_eq!(cost(0.000_009), "<$0.0001");
    }
}
