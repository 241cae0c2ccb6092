//! Strings and lists with a fixed maximum size, for everything that goes into a signed record or
//! package. A crafted file cannot make the reader allocate without bound: deserialising a `Text<N>`
//! longer than `N` bytes, or a `List<T, N>` with more than `N` items, fails.

use core::fmt;
use core::ops::Deref;

use postcard::experimental::max_size::MaxSize;
use serde::{Deserialize, Serialize};

/// Bytes a postcard varint takes for a length of at most `n`.
const fn varint_len(n: usize) -> usize {
    let mut bytes = 1;
    let mut rest = n >> 7;
    while rest > 0 {
        bytes += 1;
        rest >>= 7;
    }
    bytes
}

/// Why a value does not fit its bounded container.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BoundError {
    /// A text has more bytes than its container holds.
    #[error("text is {len} bytes long, at most {max} allowed")]
    TextTooLong {
        /// The text's length in bytes.
        len: usize,
        /// The most bytes the container holds.
        max: usize,
    },
    /// A list has more items than its container holds.
    #[error("list has {len} items, at most {max} allowed")]
    ListTooLong {
        /// How many items were offered.
        len: usize,
        /// The most items the container holds.
        max: usize,
    },
}

/// UTF-8 text of at most `N` bytes.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Text<const N: usize>(heapless::String<N>);

impl<const N: usize> Text<N> {
    /// The empty text.
    pub fn empty() -> Self {
        Self(heapless::String::new())
    }

    /// `s` if it fits in `N` bytes.
    pub fn new(s: &str) -> Result<Self, BoundError> {
        heapless::String::try_from(s)
            .map(Self)
            .map_err(|_| BoundError::TextTooLong {
                len: s.len(),
                max: N,
            })
    }

    /// `s` cut at the last character boundary that fits in `N` bytes (for free text the kiosk
    /// itself composes, never for what a person typed).
    pub fn truncated(s: &str) -> Self {
        let mut end = s.len().min(N);
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        Self::new(&s[..end]).unwrap_or_default()
    }

    /// The text as a string slice.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl<const N: usize> Deref for Text<N> {
    type Target = str;
    fn deref(&self) -> &str {
        self.0.as_str()
    }
}

impl<const N: usize> fmt::Debug for Text<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl<const N: usize> fmt::Display for Text<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<const N: usize> TryFrom<&str> for Text<N> {
    type Error = BoundError;
    fn try_from(s: &str) -> Result<Self, BoundError> {
        Self::new(s)
    }
}

impl<const N: usize> MaxSize for Text<N> {
    const POSTCARD_MAX_SIZE: usize = varint_len(N) + N;
}

/// A list of at most `N` items.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
#[serde(bound(serialize = "T: Serialize", deserialize = "T: Deserialize<'de>"))]
pub struct List<T, const N: usize>(heapless::Vec<T, N>);

impl<T, const N: usize> Default for List<T, N> {
    fn default() -> Self {
        Self(heapless::Vec::new())
    }
}

impl<T, const N: usize> List<T, N> {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `item`, or gives it back when the list is full.
    pub fn push(&mut self, item: T) -> Result<(), BoundError> {
        self.0
            .push(item)
            .map_err(|_| BoundError::ListTooLong { len: N + 1, max: N })
    }

    /// The items as a slice.
    pub fn as_slice(&self) -> &[T] {
        self.0.as_slice()
    }

    /// The items as a mutable slice.
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        self.0.as_mut_slice()
    }
}

impl<T: Clone, const N: usize> List<T, N> {
    /// The items of `items` if there are at most `N`.
    pub fn from_slice(items: &[T]) -> Result<Self, BoundError> {
        heapless::Vec::from_slice(items)
            .map(Self)
            .map_err(|_| BoundError::ListTooLong {
                len: items.len(),
                max: N,
            })
    }
}

impl<T, const N: usize> TryFrom<Vec<T>> for List<T, N> {
    type Error = BoundError;
    fn try_from(items: Vec<T>) -> Result<Self, BoundError> {
        let len = items.len();
        let mut list = Self::new();
        for item in items {
            list.push(item)
                .map_err(|_| BoundError::ListTooLong { len, max: N })?;
        }
        Ok(list)
    }
}

impl<T, const N: usize> Deref for List<T, N> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        self.0.as_slice()
    }
}

impl<T: fmt::Debug, const N: usize> fmt::Debug for List<T, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.iter()).finish()
    }
}

impl<'a, T, const N: usize> IntoIterator for &'a List<T, N> {
    type Item = &'a T;
    type IntoIter = core::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<T: MaxSize, const N: usize> MaxSize for List<T, N> {
    const POSTCARD_MAX_SIZE: usize = varint_len(N) + N * T::POSTCARD_MAX_SIZE;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_refuses_more_than_its_bound() {
        assert_eq!(
            Text::<4>::new("abcde"),
            Err(BoundError::TextTooLong { len: 5, max: 4 })
        );
        assert_eq!(Text::<4>::new("abcd").map(|t| t.len()), Ok(4));
    }

    #[test]
    fn truncation_respects_character_boundaries() {
        // "é" is two bytes: cutting at 3 bytes must not split it.
        assert_eq!(Text::<3>::truncated("aéé").as_str(), "aé");
    }

    #[test]
    fn decoding_an_oversized_text_fails_instead_of_allocating() {
        let long = postcard::to_stdvec("abcdefgh").unwrap();
        assert!(postcard::from_bytes::<Text<4>>(&long).is_err());
        let ok = postcard::to_stdvec("abcd").unwrap();
        assert_eq!(
            postcard::from_bytes::<Text<4>>(&ok).unwrap().as_str(),
            "abcd"
        );
    }

    #[test]
    fn decoding_an_overlong_list_fails() {
        let long = postcard::to_stdvec(&vec![1u8, 2, 3]).unwrap();
        assert!(postcard::from_bytes::<List<u8, 2>>(&long).is_err());
    }

    #[test]
    fn max_size_covers_the_largest_value() {
        let full: List<Text<200>, 3> =
            List::try_from(vec![Text::new(&"x".repeat(200)).unwrap(); 3]).unwrap();
        let bytes = postcard::to_stdvec(&full).unwrap();
        assert!(bytes.len() <= List::<Text<200>, 3>::POSTCARD_MAX_SIZE);
        assert_eq!(varint_len(127), 1);
        assert_eq!(varint_len(128), 2);
    }
}
