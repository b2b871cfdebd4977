//! `orchard serve`: loads the settings, binds the listeners and serves in an actix System until
//! a signal stops the server.

use crate::server::Listeners;
use crate::settings::Settings;
use std::path::Path;
use std::process::ExitCode;

/// Serves the instance the settings file describes; exit status 2 for bad settings.
pub fn serve(path: &Path) -> ExitCode {
    let settings = match Settings::load(path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("orchard: {e}");
            return ExitCode::from(2);
        }
    };
    crate::logging::init(&settings.log);
    let format = settings.log.format;
    let listeners = match Listeners::bind(&settings) {
        Ok(l) => l,
        Err(e) => {
            crate::logging::fatal(format, &e);
            return ExitCode::from(1);
        }
    };
    let public_url = settings.public_url.clone();
    let system = actix_rt::System::new();
    let result = system.block_on(crate::server::run(settings, listeners, true, |s| {
        crate::logging::started(format, s.http_addr, &public_url);
    }));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            crate::logging::fatal(format, &e);
            ExitCode::from(e.exit_status())
        }
    }
}
