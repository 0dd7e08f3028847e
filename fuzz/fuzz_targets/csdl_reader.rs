//! Arbitrary bytes through read -> resolve -> slice. Errors are fine (their
//! Display must not panic); panics, hangs and OOM are findings.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let sliced = codegen::csdl::read("fuzz.xml", text.to_owned()).and_then(|document| {
        codegen::sliced_model(&[document], &[], &codegen::slice::Roots::communications())
    });
    if let Err(e) = sliced {
        let _ = e.to_string();
    }
});
