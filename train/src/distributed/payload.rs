//! What rank 0 sends the other ranks before training: named files (the resolved `config.json`,
//! and for a resumed run the saved preprocessing, metrics and the checkpoint to resume from),
//! packed into one byte buffer for one broadcast: per file a `u32` name length, the name, a
//! `u64` length and the bytes, all little-endian.

use crate::error::TrainError;

/// Pack `files` (relative name, contents).
pub fn encode(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, bytes) in files {
        out.extend((name.len() as u32).to_le_bytes());
        out.extend(name.as_bytes());
        out.extend((bytes.len() as u64).to_le_bytes());
        out.extend(bytes);
    }
    out
}

/// Unpack what [`encode`] packed; a truncated or malformed buffer is an error.
pub fn decode(mut buf: &[u8]) -> Result<Vec<(String, Vec<u8>)>, TrainError> {
    let bad =
        |what: &str| TrainError::Config(format!("the run sent by rank 0 is malformed: {what}"));
    let take = |buf: &mut &[u8], n: usize| -> Result<Vec<u8>, TrainError> {
        if buf.len() < n {
            return Err(bad("truncated"));
        }
        let (head, rest) = buf.split_at(n);
        *buf = rest;
        Ok(head.to_vec())
    };
    let mut files = Vec::new();
    while !buf.is_empty() {
        let len = u32::from_le_bytes(take(&mut buf, 4)?.try_into().map_err(|_| bad("length"))?);
        let name = String::from_utf8(take(&mut buf, len as usize)?).map_err(|_| bad("a name"))?;
        let len = u64::from_le_bytes(take(&mut buf, 8)?.try_into().map_err(|_| bad("length"))?);
        let len = usize::try_from(len).map_err(|_| bad("a length"))?;
        files.push((name, take(&mut buf, len)?));
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_round_trip_and_truncation_is_refused() {
        let files = vec![
            ("config.json".to_string(), b"{}".to_vec()),
            ("checkpoint/model-3.bpk".to_string(), vec![0, 1, 2, 255]),
        ];
        let bytes = encode(&files);
        assert_eq!(decode(&bytes).unwrap(), files);
        assert!(decode(&bytes[..bytes.len() - 1]).is_err());
    }
}
