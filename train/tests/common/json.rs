//! Reading a JSON text that must be refused.

/// The error of parsing `text` as a `T` (the test fails if it parses).
pub fn json_error<T: serde::de::DeserializeOwned + std::fmt::Debug>(text: &str) -> String {
    serde_json::from_str::<T>(text).expect_err(text).to_string()
}
