// Temporary during development: the generator will write this file.
#[path = "../../codegen/support/mod.rs"]
pub mod support;
