//! `hypercompat._native`: the analyzer for Python. The report travels as the JSON text the CLI
//! prints (`serde_json` over the same `Report`), which the Python side turns into a dict, so a
//! report from Python and one from `hyper-migrate analyze --format json` are the same document.
//! The typed exception and the friendly signatures live in `python/hypercompat/__init__.py`.

use std::path::PathBuf;

use analyzer::report::{self, Options};
use analyzer::rules::{self, Profile, Selection};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pyo3::types::{PyByteArray, PyBytes};

/// What to analyze: a path (opened and mapped like the CLI does), or the bytes of a file.
enum Input {
    Path(PathBuf),
    Bytes(PyBackedBytes),
}

impl Input {
    fn extract(input: &Bound<'_, PyAny>) -> PyResult<Input> {
        if input.is_instance_of::<PyBytes>() || input.is_instance_of::<PyByteArray>() {
            return Ok(Input::Bytes(input.extract()?));
        }
        input.extract::<PathBuf>().map(Input::Path).map_err(|_| {
            PyTypeError::new_err(format!(
                "analyze() takes a path (str or os.PathLike) or bytes, not {}",
                input
                    .get_type()
                    .name()
                    .map_or_else(|_| "?".into(), |n| n.to_string())
            ))
        })
    }
}

/// The rule selection and target profile, checked as the CLI checks them. `profile` is the
/// text of a profile TOML file, `profile_name` what to call it in an error.
fn judging(
    select: Option<Vec<String>>,
    ignore: Option<Vec<String>>,
    profile: Option<String>,
    profile_name: Option<String>,
) -> PyResult<(Selection, Profile)> {
    let selection = Selection {
        select: select.unwrap_or_default(),
        ignore: ignore.unwrap_or_default(),
    };
    selection.validate().map_err(PyValueError::new_err)?;
    let profile = match profile {
        None => Profile::builtin().clone(),
        Some(text) => Profile::parse(&text).map_err(|err| {
            let name = profile_name.as_deref().unwrap_or("profile");
            PyValueError::new_err(format!("{name}: {err}"))
        })?,
    };
    Ok((selection, profile))
}

/// Analyzes one input and returns its report as JSON (schema `hypercompat.report/1`). An
/// unreadable input is a report with `error` set, as in the CLI; the caller decides what to
/// raise. The interpreter is released while the file is read and analyzed.
#[pyfunction]
#[pyo3(signature = (input, select=None, ignore=None, profile=None, profile_name=None, name=None))]
fn analyze_json(
    py: Python<'_>,
    input: &Bound<'_, PyAny>,
    select: Option<Vec<String>>,
    ignore: Option<Vec<String>>,
    profile: Option<String>,
    profile_name: Option<String>,
    name: Option<String>,
) -> PyResult<String> {
    let input = Input::extract(input)?;
    let (selection, profile) = judging(select, ignore, profile, profile_name)?;
    let json = py.detach(move || {
        let options = Options {
            profile: &profile,
            selection: &selection,
        };
        let report = match &input {
            Input::Path(path) => {
                let name = name.unwrap_or_else(|| path.display().to_string());
                analyzer::source::analyze_path_named(path, &name, &options)
            }
            Input::Bytes(bytes) => {
                report::analyze_with(name.as_deref().unwrap_or("<bytes>"), bytes, &options)
            }
        };
        serde_json::to_string(&report)
    });
    json.map_err(|err| PyValueError::new_err(format!("cannot encode the report: {err}")))
}

/// Checks rule options and a profile as `analyze_json` would, without analyzing anything: a
/// batch refuses bad options once, up front, instead of in every task.
#[pyfunction]
#[pyo3(signature = (select=None, ignore=None, profile=None, profile_name=None))]
fn check_options(
    select: Option<Vec<String>>,
    ignore: Option<Vec<String>>,
    profile: Option<String>,
    profile_name: Option<String>,
) -> PyResult<()> {
    judging(select, ignore, profile, profile_name).map(|_| ())
}

/// The report of a file that could not be analyzed at all (the batch job's record of an input
/// whose worker died), as JSON: the same shape the CLI gives an unopenable file.
#[pyfunction]
fn unreadable_json(file: &str, reason: &str) -> PyResult<String> {
    serde_json::to_string(&report::unreadable(file, reason.to_string()))
        .map_err(|err| PyValueError::new_err(format!("cannot encode the report: {err}")))
}

/// The rule catalogue as JSON: one object per rule, in code order, with its documentation.
#[pyfunction]
fn rules_json() -> PyResult<String> {
    let catalogue: Vec<serde_json::Value> = rules::registry()
        .iter()
        .map(|rule| {
            serde_json::json!({
                "code": rule.code,
                "name": rule.name,
                "severity": rule.severity.name(),
                "category": rule.category().name(),
                "fixable": rule.fixable,
                "summary": rule.summary,
                "what": rule.what,
                "why": rule.why,
                "fix": rule.fix,
            })
        })
        .collect();
    serde_json::to_string(&catalogue)
        .map_err(|err| PyValueError::new_err(format!("cannot encode the rules: {err}")))
}

#[pymodule]
fn _native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(analyze_json, module)?)?;
    module.add_function(wrap_pyfunction!(check_options, module)?)?;
    module.add_function(wrap_pyfunction!(unreadable_json, module)?)?;
    module.add_function(wrap_pyfunction!(rules_json, module)?)?;
    module.add("SCHEMA", report::SCHEMA)?;
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
