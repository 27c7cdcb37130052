//! A minimal element tree over quick-xml, with byte offsets for diagnostics.

use quick_xml::{Reader, XmlVersion};

const XML_VERSION: XmlVersion = XmlVersion::Implicit1_0;
use quick_xml::events::{BytesStart, Event};

/// An XML element: name, attributes, children, and where it starts.
#[derive(Debug, Clone)]
pub(crate) struct Element {
    pub name: String,
    pub attributes: Vec<(String, String)>,
    pub children: Vec<Element>,
    pub offset: usize,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
}

/// Deepest nesting accepted: Genius files nest a few levels; anything deeper is malformed or hostile.
const MAX_DEPTH: usize = 64;

/// Parses `text` into its root element, or returns (byte offset, message).
pub(crate) fn parse(text: &str) -> Result<Element, (usize, String)> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let offset = reader.buffer_position() as usize;
        let event = reader
            .read_event()
            .map_err(|e| (reader.error_position() as usize, format!("malformed XML: {e}")))?;
        match event {
            Event::Start(start) => {
                if stack.len() >= MAX_DEPTH {
                    return Err((
                        offset,
                        format!("elements nested deeper than {MAX_DEPTH} levels"),
                    ));
                }
                stack.push(element(&start, offset)?);
            }
            Event::Empty(start) => {
                let e = element(&start, offset)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(e),
                    None if root.is_none() => root = Some(e),
                    None => return Err((offset, "more than one root element".into())),
                }
            }
            Event::End(_) => {
                let Some(done) = stack.pop() else {
                    return Err((offset, "closing tag without an opening tag".into()));
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None if root.is_none() => root = Some(done),
                    None => return Err((offset, "more than one root element".into())),
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err((open.offset, format!("element <{}> is not closed", open.name)));
    }
    root.ok_or((0, "no root element".into()))
}

fn element(start: &BytesStart<'_>, offset: usize) -> Result<Element, (usize, String)> {
    let name = start.name().as_ref().to_string();
    let mut attributes = Vec::new();
    for attribute in start.attributes() {
        let attribute =
            attribute.map_err(|e| (offset, format!("malformed attribute in <{name}>: {e}")))?;
        let key = attribute.key.as_ref().to_string();
        let value = attribute
            .normalized_value(XML_VERSION)
            .map_err(|e| {
                (offset, format!("malformed value of attribute `{key}` in <{name}>: {e}"))
            })?
            .into_owned();
        attributes.push((key, value));
    }
    Ok(Element { name, attributes, children: Vec::new(), offset })
}
