//! Boxed mode reached through another crate's re-export, by a crate that cannot name
//! `async_ext`: every shape that expands to a runtime path elsewhere (`Send` and `?Send`
//! boxing, default bodies, `dyn`) must compile here and behave.

use async_ext_reexport_framework::async_trait;

/// A trait with every kind of boxed method.
#[async_trait]
pub trait Store {
    /// A `Send` future.
    async fn get(&self, key: &str) -> Option<u32>;
    /// A default body.
    async fn count(&self) -> usize {
        0
    }
    /// A `?Send` future.
    #[async_trait(?Send)]
    async fn local(&self) -> u32;
    /// A sync method.
    fn name(&self) -> &'static str;
}

/// A `?Send` trait.
#[async_trait(?Send)]
pub trait Parser {
    /// Not `Send`.
    async fn parse(&self, text: &str) -> usize;
}

/// Entries in memory.
#[derive(Debug, Default)]
pub struct Memory {
    entries: Vec<(String, u32)>,
}

#[async_trait]
impl Store for Memory {
    async fn get(&self, key: &str) -> Option<u32> {
        self.entries
            .iter()
            .find(|entry| entry.0 == key)
            .map(|entry| entry.1)
    }

    async fn count(&self) -> usize {
        self.entries.len()
    }

    #[async_trait(?Send)]
    async fn local(&self) -> u32 {
        let shared = std::rc::Rc::new(7);
        *shared
    }

    fn name(&self) -> &'static str {
        "memory"
    }
}

#[async_trait(?Send)]
impl Parser for Memory {
    async fn parse(&self, text: &str) -> usize {
        text.split(' ').count()
    }
}

/// A store with the default `count`.
#[derive(Debug)]
pub struct Empty;

#[async_trait]
impl Store for Empty {
    async fn get(&self, _: &str) -> Option<u32> {
        None
    }

    #[async_trait(?Send)]
    async fn local(&self) -> u32 {
        0
    }

    fn name(&self) -> &'static str {
        "empty"
    }
}

#[cfg(test)]
mod tests {
    use super::{Empty, Memory, Parser, Store};
    use futures::executor::block_on;

    fn is_send<T: Send>(value: T) -> T {
        value
    }

    #[test]
    fn boxed_mode_through_a_reexport() {
        block_on(async {
            let memory = Memory {
                entries: vec![(String::from("a"), 1)],
            };
            assert_eq!(is_send(memory.get("a")).await, Some(1));
            assert_eq!(memory.count().await, 1);
            assert_eq!(memory.local().await, 7);
            assert_eq!(memory.parse("x y z").await, 3);
            let stores: Vec<Box<dyn Store + Sync>> = vec![Box::new(memory), Box::new(Empty)];
            let mut seen = Vec::new();
            for store in &stores {
                seen.push((
                    store.name().to_owned(),
                    store.get("a").await,
                    store.count().await,
                ));
            }
            assert_eq!(
                seen,
                [
                    (String::from("memory"), Some(1), 1),
                    (String::from("empty"), None, 0)
                ]
            );
        });
    }
}
