//! The OpenAPI 3.1 document, generated from the handlers themselves: `aide` reads each handler's
//! extractors (its [`super::ask::Ask`] struct gives the query parameters, a JSON body its schema) and
//! its answer type (a typed document, [`super::answer::Out`] or [`crate::AppError`]'s refusals), and
//! schemars gives every schema. The endpoint table adds what only it knows: the summary, the roles
//! allowed (`x-truce-roles`) and whether a token is needed.

use aide::openapi::{
    Components, Info, OpenApi, Operation, Parameter, ParameterData, ParameterSchemaOrContent,
    PathItem, PathStyle, ReferenceOr, SchemaObject, SecurityScheme,
};
use indexmap::IndexMap;
use truce_store::Role;

use crate::Endpoint;

/// The operation of `item` for `method` (lower case).
fn operation_mut<'a>(item: &'a mut PathItem, method: &str) -> Option<&'a mut Operation> {
    match method {
        "get" => item.get.as_mut(),
        "post" => item.post.as_mut(),
        "put" => item.put.as_mut(),
        "delete" => item.delete.as_mut(),
        _ => None,
    }
}

/// Completes the document aide generated: the info, the security scheme, and for each endpoint its id,
/// summary, tag, roles, security and path parameters.
pub(crate) fn complete(api: &mut OpenApi) {
    api.openapi = "3.1.0".into();
    api.info = Info {
        title: "Truce".into(),
        version: "1".into(),
        description: Some(
            "Positions, analysis, agreements, and the observer mission's signed log.".into(),
        ),
        ..Info::default()
    };
    let components = api.components.get_or_insert_with(Components::default);
    components.security_schemes.insert(
        "bearer".into(),
        ReferenceOr::Item(SecurityScheme::Http {
            scheme: "bearer".into(),
            bearer_format: None,
            description: Some("A user's token, from `truce user add`.".into()),
            extensions: IndexMap::default(),
        }),
    );
    let Some(paths) = api.paths.as_mut() else { return };
    // A wildcard route (`{*path}`) is written `{path}` in OpenAPI.
    paths.paths = std::mem::take(&mut paths.paths)
        .into_iter()
        .map(|(route, item)| (openapi_path(&route), item))
        .collect();
    for e in Endpoint::all() {
        let (method, path) = e.route();
        let documented = openapi_path(path);
        let Some(ReferenceOr::Item(item)) = paths.paths.get_mut(&documented) else { continue };
        let Some(op) = operation_mut(item, &method.to_lowercase()) else { continue };
        op.operation_id = Some(format!("{e:?}"));
        op.summary = Some(e.doc().into());
        op.tags = vec![
            if e.is_page() {
                "pages"
            } else if path.starts_with("/log") || path.starts_with("/witness") {
                "log"
            } else {
                "api"
            }
            .into(),
        ];
        let bearer: IndexMap<String, Vec<String>> =
            IndexMap::from_iter([("bearer".into(), vec![])]);
        op.security =
            if e.allows(Role::Public) { vec![IndexMap::default(), bearer] } else { vec![bearer] };
        op.extensions.insert(
            "x-truce-roles".into(),
            serde_json::Value::from(e.roles().iter().map(|r| r.as_str()).collect::<Vec<_>>()),
        );
        // Each `{name}` of the route is a required string, unless the handler's own type said more.
        for name in documented
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        {
            let present = op.parameters.iter().any(|p| match p {
                ReferenceOr::Item(Parameter::Path { parameter_data, .. }) => {
                    parameter_data.name == name
                }
                _ => false,
            });
            if !present {
                op.parameters.push(ReferenceOr::Item(Parameter::Path {
                    parameter_data: ParameterData {
                        name: name.into(),
                        description: None,
                        required: true,
                        format: ParameterSchemaOrContent::Schema(SchemaObject {
                            json_schema: schemars::json_schema!({"type": "string"}),
                            example: None,
                            external_docs: None,
                        }),
                        extensions: IndexMap::default(),
                        deprecated: None,
                        example: None,
                        examples: IndexMap::default(),
                        explode: None,
                    },
                    style: PathStyle::Simple,
                }));
            }
        }
    }
}

/// A route as OpenAPI writes it (`{*path}` is `{path}`).
pub(crate) fn openapi_path(route: &str) -> String {
    route.replace("{*", "{")
}

/// Rewrites the draft-07 forms schemars writes for aide into JSON Schema 2020-12, OpenAPI 3.1's dialect:
/// a tuple's `items: [...]` becomes `prefixItems` (and `additionalItems` becomes `items`).
pub(crate) fn to_2020_12(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            if map.get("items").is_some_and(|i| i.is_array())
                && let Some(tuple) = map.remove("items")
            {
                map.insert("prefixItems".into(), tuple);
                if let Some(rest) = map.remove("additionalItems") {
                    map.insert("items".into(), rest);
                }
            }
            map.values_mut().for_each(to_2020_12);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(to_2020_12),
        _ => {}
    }
}
