//! The forms of value a JSON Schema gives the fields of the format's types
//! (`#[schemars(with = "forms::Id")]`): what the types alone cannot say, such
//! as the id rule, the date forms and the allowed words of `kind`, `status`
//! and `relation`.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::model::{ActorKind, Relation, Status};

/// Defines a type that stands, in a schema, for one form of value. Fields of
/// the raw types name it with `#[schemars(with = "…")]`.
macro_rules! form {
    ($(#[$doc:meta])* $name:ident => $schema:expr) => {
        $(#[$doc])*
        pub struct $name;

        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                $schema
            }
        }
    };
}

form! {
    /// Plain text. YAML reads `1984` as a number and `true` as a boolean,
    /// and the build takes either as the text it was written as, so the
    /// schema does too.
    Text => json_schema!({
        "description": "Plain text.",
        "type": ["string", "number", "boolean"]
    })
}

form! {
    /// CommonMark text.
    Markdown => json_schema!({
        "description": "Markdown (CommonMark with tables, footnotes and strikethrough). Links are http, https or mailto addresses, or @/articles/ID, @/claims/ID, @/actors/ID, @/terms/ID, @/events/ID.",
        "type": ["string", "number", "boolean"]
    })
}

form! {
    /// An id, defining a thing or referring to one: docs/format.md, "Identifiers".
    Id => json_schema!({
        "description": "An id: lowercase letters a-z, digits and single hyphens, at most 64 characters.",
        "anyOf": [
            { "type": "string", "pattern": ID_PATTERN, "maxLength": 64 },
            { "type": "integer", "minimum": 0 }
        ]
    })
}

form! {
    /// A date in one of the forms of docs/format.md, "Dates". YAML reads a bare
    /// year as a number, which the build accepts.
    Date => json_schema!({
        "description": "A date: YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS] (as the source printed it) or an RFC 3339 timestamp.",
        "anyOf": [
            { "type": "string", "pattern": DATE_PATTERN },
            { "type": "integer", "minimum": 0, "maximum": 9999 }
        ]
    })
}

form! {
    /// A web address.
    Url => json_schema!({
        "description": "A web address (http or https).",
        "type": "string",
        "format": "uri"
    })
}

form! {
    /// An actor's `kind`.
    ActorKindWord => words("What kind of actor this is.", ActorKind::ALL.iter().map(|(n, _)| *n))
}

form! {
    /// A claim's `status`.
    StatusWord => {
        // YAML reads an unquoted `false` as a boolean; the build takes it as
        // the status `false`.
        let mut schema = words(
            "How far the claim holds up. Default: reported.",
            Status::ALL.iter().map(|(n, _)| *n),
        );
        schema.remove("type");
        if let Some(serde_json::Value::Array(words)) = schema.get_mut("enum") {
            words.push(false.into());
        }
        schema
    }
}

form! {
    /// A related claim's `relation`.
    RelationWord => words(
        "How this claim relates to the other one.",
        Relation::ALL.iter().map(|(n, _)| *n)
    )
}

form! {
    /// A source's `occurrence`: counting from 1.
    Occurrence => json_schema!({
        "description": "Which occurrence of the quote in the article is meant, counting from 1.",
        "type": "integer",
        "minimum": 1
    })
}

const ID_PATTERN: &str = "^[a-z0-9]+(-[a-z0-9]+)*$";

const DATE_PATTERN: &str = "^[0-9]{4}(-[0-9]{2}(-[0-9]{2}([Tt][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})?)?)?)?)?$";

fn words(description: &str, words: impl Iterator<Item = &'static str>) -> Schema {
    let words: Vec<&str> = words.collect();
    json_schema!({ "description": description, "type": "string", "enum": words })
}
