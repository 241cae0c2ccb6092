//! Compiles the Slint screens with the translations bundled (gettext .po files under ui/lang/).
fn main() {
    let config = slint_build::CompilerConfiguration::new()
        .with_bundled_translations("../lang")
        .with_default_translation_context(slint_build::DefaultTranslationContext::None)
        // Element names and accessibility for the UI tests' and screen readers' element search.
        .with_debug_info(true);
    if let Err(e) = slint_build::compile_with_config("../ui/app.slint", config) {
        println!("cargo::error=the Slint screens do not compile: {e}");
        std::process::exit(1);
    }
}
