//! Arbitrary bytes through read -> resolve -> slice. Errors are fine (their
//! Display must not panic); panics, hangs and OOM are findings.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let document = match codegen::csdl::read("fuzz.xml", text.to_owned()) {
        Ok(document) => document,
        Err(e) => {
            let _ = e.to_string();
            return;
        }
    };
    let (model, _notices) = match codegen::model::resolve(&[document], &[]) {
        Ok(resolved) => resolved,
        Err(e) => {
            let _ = e.to_string();
            return;
        }
    };
    if let Err(e) = codegen::slice::slice(&model, &codegen::slice::Roots::communications()) {
        let _ = e.to_string();
    }
});
