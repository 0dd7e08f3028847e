//! Checks of parameter values against what the API documents, made before
//! a request is sent.

use crate::support::RequestError;

/// Checks that the required parameter `name` holds a value.
///
/// # Errors
///
/// [`RequestError::missing`] when it is absent or `null`.
pub fn check_required<T>(name: &str, value: &crate::support::Field<T>) -> Result<(), RequestError> {
    match value {
        crate::support::Field::Value(_) => Ok(()),
        _ => Err(RequestError::missing(name)),
    }
}

/// Checks that `value` (parameter or property `name`) is at most `max`
/// characters long, counting Unicode scalar values as the schema's
/// `MaxLength` does.
///
/// # Errors
///
/// [`RequestError::too_long`] when it is longer.
pub fn check_max_length(name: &str, value: &str, max: usize) -> Result<(), RequestError> {
    // Each character takes at least one byte: short strings need no count.
    if value.len() <= max {
        return Ok(());
    }
    match value.chars().count() {
        length if length > max => Err(RequestError::too_long(name, length, max)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;


    #[test]
    fn max_length_counts_characters() {
        assert!(check_max_length("clientContext", &"a".repeat(256), 256).is_ok());
        assert!(check_max_length("clientContext", "", 0).is_ok());
        let error = check_max_length("clientContext", &"a".repeat(257), 256).unwrap_err();
        assert_eq!(
            error.to_string(),
            "`clientContext` is 257 characters long; the API accepts at most 256"
        );
        // 256 two-byte and four-byte characters are 256 characters.
        assert!(check_max_length("x", &"ü".repeat(256), 256).is_ok());
        assert!(check_max_length("x", &"😀".repeat(256), 256).is_ok());
        let error = check_max_length("x", &"😀".repeat(300), 256).unwrap_err();
        assert_eq!(
            error.message(),
            "`x` is 300 characters long; the API accepts at most 256"
        );
        assert!(std::error::Error::source(&error).is_none());
    }
}
