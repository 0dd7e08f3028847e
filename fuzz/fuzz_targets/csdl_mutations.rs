//! Mutations of real CSDL through read -> resolve -> slice -> emit. Errors of
//! read/resolve/slice are fine; an error from emit means the emitter produced
//! invalid Rust, which is a bug, so it panics here.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let sliced = codegen::csdl::read("fuzz.xml", text.to_owned()).and_then(|document| {
        codegen::sliced_model(&[document], &[], &codegen::slice::Roots::communications())
    });
    let model = match sliced {
        Ok((model, _notices)) => model,
        Err(e) => {
            let _ = e.to_string();
            return;
        }
    };
    let options = codegen::emit::CrateOptions {
        name: "f".into(),
        area_features: false,
        inputs: vec![],
    };
    if let Err(e) = codegen::emit::crate_files(&model, &options) {
        panic!("emit failed on a model that resolved and sliced: {e}");
    }
});
