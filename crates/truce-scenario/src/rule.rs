//! The cross-issue constraint language (grammar in [`Condition`]).

use crate::model::{Condition, IssueIx, OptionIx};

/// A problem in a rule: where (byte offset in the rule), what, and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    /// Byte offset in the rule text.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
    /// What was expected.
    pub expected: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Token<'a> {
    Word(&'a str),
    Eq,
    Ne,
    Open,
    Close,
    OpenBracket,
    CloseBracket,
    Comma,
}

fn tokenize(text: &str) -> Result<Vec<(usize, Token<'_>)>, RuleError> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let single = match c {
            b'=' => Some(Token::Eq),
            b'(' => Some(Token::Open),
            b')' => Some(Token::Close),
            b'[' => Some(Token::OpenBracket),
            b']' => Some(Token::CloseBracket),
            b',' => Some(Token::Comma),
            _ => None,
        };
        if c.is_ascii_whitespace() {
            i += 1;
        } else if let Some(t) = single {
            out.push((i, t));
            i += 1;
        } else if c == b'!' && bytes.get(i + 1) == Some(&b'=') {
            out.push((i, Token::Ne));
            i += 2;
        } else if c.is_ascii_alphanumeric() || c == b'_' || c == b'-' || c == b'.' {
            let start = i;
            while i < bytes.len()
                && (bytes[i].is_ascii_alphanumeric()
                    || matches!(bytes[i], b'_' | b'-' | b'.' | b':'))
            {
                i += 1;
            }
            out.push((start, Token::Word(&text[start..i])));
        } else {
            let ch = text[i..].chars().next().unwrap_or('?');
            return Err(RuleError {
                offset: i,
                message: format!("unexpected character `{ch}`"),
                expected: "an id, `=`, `!=`, `in`, `(`, `)`, `[`, `]`, `,`, or a keyword (if, then, and, or, not)".into(),
            });
        }
    }
    Ok(out)
}

struct Parser<'a, 'r> {
    tokens: Vec<(usize, Token<'a>)>,
    at: usize,
    end: usize,
    issue: &'r dyn Fn(&str) -> Option<IssueIx>,
    option: &'r dyn Fn(&str) -> Option<(OptionIx, IssueIx)>,
}

const KEYWORDS: [&str; 6] = ["if", "then", "and", "or", "not", "in"];

impl<'a> Parser<'a, '_> {
    fn peek(&self) -> Option<&Token<'a>> {
        self.tokens.get(self.at).map(|(_, t)| t)
    }

    fn offset(&self) -> usize {
        self.tokens.get(self.at).map_or(self.end, |(o, _)| *o)
    }

    fn error<T>(&self, message: impl Into<String>, expected: &str) -> Result<T, RuleError> {
        Err(RuleError { offset: self.offset(), message: message.into(), expected: expected.into() })
    }

    fn keyword(&mut self, word: &str) -> bool {
        if self.peek() == Some(&Token::Word(word)) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn rule(&mut self) -> Result<Condition, RuleError> {
        let condition = if self.keyword("if") {
            let premise = self.condition()?;
            if !self.keyword("then") {
                return self.error("`if` without `then`", "`then` and a condition");
            }
            let conclusion = self.condition()?;
            Condition::Or(vec![Condition::Not(Box::new(premise)), conclusion])
        } else {
            self.condition()?
        };
        if self.at < self.tokens.len() {
            return self
                .error("unexpected text after the rule", "the end of the rule, `and` or `or`");
        }
        Ok(condition)
    }

    fn condition(&mut self) -> Result<Condition, RuleError> {
        let mut terms = vec![self.term()?];
        while self.keyword("or") {
            terms.push(self.term()?);
        }
        // `terms` has one element here, so `pop` cannot fail.
        Ok(if terms.len() == 1 { terms.pop().expect("one term") } else { Condition::Or(terms) })
    }

    fn term(&mut self) -> Result<Condition, RuleError> {
        let mut factors = vec![self.factor()?];
        while self.keyword("and") {
            factors.push(self.factor()?);
        }
        Ok(if factors.len() == 1 {
            // `factors` has one element here, so `pop` cannot fail.
            factors.pop().expect("one factor")
        } else {
            Condition::And(factors)
        })
    }

    fn factor(&mut self) -> Result<Condition, RuleError> {
        if self.keyword("not") {
            return Ok(Condition::Not(Box::new(self.factor()?)));
        }
        if self.peek() == Some(&Token::Open) {
            self.at += 1;
            let inner = self.condition()?;
            if self.peek() != Some(&Token::Close) {
                return self.error("unclosed `(`", "`)`");
            }
            self.at += 1;
            return Ok(inner);
        }
        let Some(Token::Word(name)) = self.peek().cloned() else {
            return self.error("missing condition", "an issue id, `not` or `(`");
        };
        if KEYWORDS.contains(&name) {
            return self.error(format!("unexpected keyword `{name}`"), "an issue id, `not` or `(`");
        }
        let Some(issue) = (self.issue)(name) else {
            return self.error(
                format!("unknown issue id \"{name}\""),
                "an issue id defined in the scenario",
            );
        };
        self.at += 1;
        match self.peek().cloned() {
            Some(Token::Eq) | Some(Token::Ne) => {
                let negated = self.peek() == Some(&Token::Ne);
                self.at += 1;
                let option = self.option_of(issue, name)?;
                let atom = Condition::In(issue, vec![option]);
                Ok(if negated { Condition::Not(Box::new(atom)) } else { atom })
            }
            Some(Token::Word("in")) => {
                self.at += 1;
                if self.peek() != Some(&Token::OpenBracket) {
                    return self.error("`in` without a list", "`[` and option ids");
                }
                self.at += 1;
                let mut options = vec![self.option_of(issue, name)?];
                while self.peek() == Some(&Token::Comma) {
                    self.at += 1;
                    options.push(self.option_of(issue, name)?);
                }
                if self.peek() != Some(&Token::CloseBracket) {
                    return self.error("unclosed `[`", "`,` or `]`");
                }
                self.at += 1;
                Ok(Condition::In(issue, options))
            }
            _ => self.error(
                format!("issue \"{name}\" is not compared"),
                "`=`, `!=` or `in` after the issue id",
            ),
        }
    }

    fn option_of(&mut self, issue: IssueIx, issue_name: &str) -> Result<OptionIx, RuleError> {
        let Some(Token::Word(name)) = self.peek().cloned() else {
            return self
                .error("missing option id", &format!("an option id of issue \"{issue_name}\""));
        };
        match (self.option)(name) {
            Some((option, of)) if of == issue => {
                self.at += 1;
                Ok(option)
            }
            Some(_) => self.error(
                format!("option \"{name}\" does not belong to issue \"{issue_name}\""),
                &format!("an option id of issue \"{issue_name}\""),
            ),
            None => self.error(
                format!("unknown option id \"{name}\""),
                &format!("an option id of issue \"{issue_name}\""),
            ),
        }
    }
}

/// Parses a rule, resolving ids with the given lookups.
pub fn parse_rule(
    text: &str,
    issue: &dyn Fn(&str) -> Option<IssueIx>,
    option: &dyn Fn(&str) -> Option<(OptionIx, IssueIx)>,
) -> Result<Condition, RuleError> {
    let tokens = tokenize(text)?;
    if tokens.is_empty() {
        return Err(RuleError {
            offset: 0,
            message: "empty rule".into(),
            expected: "a condition such as `nato = nato.x`".into(),
        });
    }
    Parser { tokens, at: 0, end: text.len(), issue, option }.rule()
}
