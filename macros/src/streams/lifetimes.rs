//! Naming elided lifetimes.
