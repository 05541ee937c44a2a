//! The model of one `async_closure!` call, parsed from the user's tokens:
//! `[once] [{ let [mut] NAME [: TYPE] = EXPR; … }] async |ARGS| [-> RET] BODY`.
//!
//! Every node keeps the user's tokens, so each error and each expansion points at them.

use proc_macro2::Span;
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned;
use syn::{Expr, Ident, Pat, ReturnType, Token, Type};

/// `async_closure!` accepts at most this many arguments (the arities of the traits).
pub(crate) const MAX_ARGS: usize = 12;

/// One parsed `async_closure!` call.
pub(crate) struct ClosureInput {
    /// `once`: the closure implements only `AsyncFnOnce` and the body owns the captures.
    pub(crate) once: Option<Ident>,
    /// The capture block's `let`s, in order.
    pub(crate) captures: Vec<Capture>,
    pub(crate) async_token: Token![async],
    pub(crate) or1: Token![|],
    pub(crate) args: Vec<Arg>,
    pub(crate) or2: Token![|],
    pub(crate) output: ReturnType,
    pub(crate) body: Expr,
    /// An error reported while the rest still parsed (`async move`): the macro reports it
    /// and expands the closure as if it were not there.
    pub(crate) recovered: Option<syn::Error>,
}

/// `let [mut] NAME [: TYPE] = EXPR;` in the capture block.
pub(crate) struct Capture {
    pub(crate) let_token: Token![let],
    pub(crate) mutability: Option<Token![mut]>,
    pub(crate) name: Ident,
    pub(crate) ty: Option<(Token![:], Type)>,
    pub(crate) eq_token: Token![=],
    pub(crate) expr: Expr,
    pub(crate) semi_token: Token![;],
}

/// `PAT: TYPE` between the bars.
pub(crate) struct Arg {
    pub(crate) pat: Pat,
    pub(crate) colon_token: Token![:],
    pub(crate) ty: Type,
}

impl ClosureInput {
    /// Whether the closure is only `AsyncFnMut` (some capture is `let mut`).
    pub(crate) fn is_mut(&self) -> bool {
        self.captures
            .iter()
            .any(|capture| capture.mutability.is_some())
    }
}

impl Parse for ClosureInput {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let once = if input.peek(Ident) && input.fork().parse::<Ident>()? == "once" {
            Some(input.parse::<Ident>()?)
        } else {
            None
        };
        let captures = if input.peek(syn::token::Brace) {
            let content;
            syn::braced!(content in input);
            parse_captures(&content)?
        } else {
            Vec::new()
        };
        if !input.peek(Token![async]) {
            return Err(input.error(
                "expected an async closure: `async |ARGS| BODY`, after the optional `once` and \
                 capture block `{ let NAME = EXPR; … }`",
            ));
        }
        let async_token: Token![async] = input.parse()?;
        let mut recovered = None;
        if input.peek(Token![move]) {
            let move_token: Token![move] = input.parse()?;
            recovered = Some(syn::Error::new(
                move_token.span,
                "`async_closure!` does not take `async move`: list what the closure owns in a \
                 capture block before `async`, e.g. `async_closure!({ let name = name.clone(); } \
                 async |x: u32| ..)`; outer variables not in the block are borrowed",
            ));
        }
        let (or1, args, or2) = parse_args(input)?;
        let output: ReturnType = input.parse()?;
        let body: Expr = input.parse()?;
        if !input.is_empty() {
            return Err(input.error(
                "unexpected tokens after the closure body: `async_closure!` takes one closure; \
                 remove them or make them part of the body",
            ));
        }
        Ok(ClosureInput {
            once,
            captures,
            async_token,
            or1,
            args,
            or2,
            output,
            body,
            recovered,
        })
    }
}

// Input:  a parsed call (only when nothing was recovered: `async move` is not kept)
// Output: its tokens again, `once { let …; } async |ARGS| -> RET BODY`, for rewriting an
//         `async_closure!` nested in another one's body.
impl quote::ToTokens for ClosureInput {
    fn to_tokens(&self, tokens: &mut proc_macro2::TokenStream) {
        self.once.to_tokens(tokens);
        syn::token::Brace::default().surround(tokens, |tokens| {
            for capture in &self.captures {
                capture.let_token.to_tokens(tokens);
                capture.mutability.to_tokens(tokens);
                capture.name.to_tokens(tokens);
                if let Some((colon, ty)) = &capture.ty {
                    colon.to_tokens(tokens);
                    ty.to_tokens(tokens);
                }
                capture.eq_token.to_tokens(tokens);
                capture.expr.to_tokens(tokens);
                capture.semi_token.to_tokens(tokens);
            }
        });
        self.async_token.to_tokens(tokens);
        self.or1.to_tokens(tokens);
        for (index, arg) in self.args.iter().enumerate() {
            if index > 0 {
                Token![,](arg.pat.span()).to_tokens(tokens);
            }
            arg.pat.to_tokens(tokens);
            arg.colon_token.to_tokens(tokens);
            arg.ty.to_tokens(tokens);
        }
        self.or2.to_tokens(tokens);
        self.output.to_tokens(tokens);
        self.body.to_tokens(tokens);
    }
}

// Input: `let mut n = 0u32; let prefix: String = p.clone();`
// Output: one `Capture` per `let`, or an error at the first malformed one (or duplicated name).
fn parse_captures(input: ParseStream) -> syn::Result<Vec<Capture>> {
    let mut captures: Vec<Capture> = Vec::new();
    while !input.is_empty() {
        let capture = parse_capture(input)?;
        if captures.iter().any(|c| c.name == capture.name) {
            return Err(syn::Error::new(
                capture.name.span(),
                format!(
                    "the capture `{}` is declared twice: give each capture its own name (a \
                     later `let` may use an earlier capture, as in `let b = a + 1;`)",
                    capture.name
                ),
            ));
        }
        captures.push(capture);
    }
    Ok(captures)
}

const CAPTURE_FORM: &str = "write each capture as `let NAME = EXPR;` or `let mut NAME = EXPR;`";

fn parse_capture(input: ParseStream) -> syn::Result<Capture> {
    if !input.peek(Token![let]) {
        return Err(input.error(format!(
            "expected `let` in the capture block: {CAPTURE_FORM}"
        )));
    }
    let let_token: Token![let] = input.parse()?;
    let pat = Pat::parse_single(input)
        .map_err(|_| input.error(format!("expected the name of the capture: {CAPTURE_FORM}")))?;
    let (mutability, name) = capture_name(pat)?;
    let ty = if input.peek(Token![:]) && !input.peek(Token![::]) {
        let colon: Token![:] = input.parse()?;
        Some((colon, input.parse::<Type>()?))
    } else {
        None
    };
    if !input.peek(Token![=]) {
        let span = next_token_span(input).unwrap_or(name.span());
        return Err(syn::Error::new(
            span,
            format!(
                "expected `=` and the captured value: `let {name} = EXPR;` (a capture is \
                 evaluated once, when the closure is made)"
            ),
        ));
    }
    let eq_token: Token![=] = input.parse()?;
    let expr: Expr = input.parse()?;
    if input.peek(Token![else]) {
        return Err(input.error(format!(
            "a capture cannot have an `else` branch: {CAPTURE_FORM}"
        )));
    }
    if !input.peek(Token![;]) {
        return Err(input.error(format!("expected `;` after the capture: {CAPTURE_FORM}")));
    }
    let semi_token: Token![;] = input.parse()?;
    Ok(Capture {
        let_token,
        mutability,
        name,
        ty,
        eq_token,
        expr,
        semi_token,
    })
}

/// The capture must bind exactly one name: the body uses it as that variable.
fn capture_name(pat: Pat) -> syn::Result<(Option<Token![mut]>, Ident)> {
    match pat {
        Pat::Ident(pat) if pat.ident == "self" => Err(syn::Error::new(
            pat.ident.span(),
            "a capture cannot be named `self`: choose another name, e.g. `let this = self;`",
        )),
        Pat::Ident(pat) if pat.by_ref.is_none() && pat.subpat.is_none() && pat.attrs.is_empty() => {
            Ok((pat.mutability, pat.ident))
        }
        other => Err(syn::Error::new(
            other.span(),
            format!(
                "a capture binds one name, not a pattern: {CAPTURE_FORM}, and destructure it \
                 inside the body"
            ),
        )),
    }
}

fn next_token_span(input: ParseStream) -> Option<Span> {
    input.cursor().token_tree().map(|(tree, _)| tree.span())
}

// Input: `|x: u32, s: &str|` or `||`
// Output: the bars and one `Arg` per argument; an argument without a type is an error.
fn parse_args(input: ParseStream) -> syn::Result<(Token![|], Vec<Arg>, Token![|])> {
    if input.peek(Token![||]) {
        let bars: Token![||] = input.parse()?;
        let [first, second] = bars.spans;
        return Ok((Token![|](first), Vec::new(), Token![|](second)));
    }
    if !input.peek(Token![|]) {
        return Err(input.error("expected the closure's arguments: `async |x: u32| BODY`"));
    }
    let or1: Token![|] = input.parse()?;
    let mut args = Vec::new();
    loop {
        if input.peek(Token![|]) {
            break;
        }
        let pat = Pat::parse_single(input)?;
        if !input.peek(Token![:]) {
            return Err(syn::Error::new(
                pat.span(),
                format!(
                    "the argument `{}` needs a type: every argument of `async_closure!` is \
                     typed, e.g. `{}: u32` or `{}: &str`",
                    pat_text(&pat),
                    pat_text(&pat),
                    pat_text(&pat)
                ),
            ));
        }
        let colon_token: Token![:] = input.parse()?;
        let ty: Type = input.parse()?;
        if args.len() == MAX_ARGS {
            return Err(syn::Error::new(
                pat.span(),
                format!(
                    "`async_closure!` takes at most {MAX_ARGS} arguments: group the others in \
                     a tuple or a struct"
                ),
            ));
        }
        args.push(Arg {
            pat,
            colon_token,
            ty,
        });
        if input.peek(Token![,]) {
            input.parse::<Token![,]>()?;
        } else if !input.peek(Token![|]) {
            return Err(input.error("expected `,` or `|` after the argument"));
        }
    }
    let or2: Token![|] = input.parse()?;
    Ok((or1, args, or2))
}

/// The pattern as the user wrote it, for messages.
fn pat_text(pat: &Pat) -> String {
    let text = quote::ToTokens::to_token_stream(pat).to_string();
    text.replace(" ,", ",")
}
