//! The two pages a beneficiary sees, with the element ids of the hosted ones (Medicare.gov's
//! log-in: `#username`, `#password`, `#login-button`; BB2's consent page: `#radio_1`,
//! `#approve`, `#deny`), so browser scripts written for the sandbox run unchanged, in English
//! or Spanish (`lang=es`), plus the sandbox's error pages.

/// The page language.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Es,
}

impl Lang {
    /// `lang=es` → Spanish, anything else English.
    pub fn from_param(v: Option<&str>) -> Lang {
        if v == Some("es") { Lang::Es } else { Lang::En }
    }

    fn pick(self, en: &'static str, es: &'static str) -> &'static str {
        if self == Lang::Es { es } else { en }
    }

    fn code(self) -> &'static str {
        self.pick("en", "es")
    }
}

/// HTML-escapes text and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:'Open Sans',Helvetica,Arial,sans-serif;margin:0;background:#f1f1f1;color:#212121}\
header{background:#0071bc;color:#fff;padding:14px 24px;font-size:20px;font-weight:700}\
main{max-width:560px;margin:32px auto;background:#fff;padding:28px 32px;border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.2)}\
h1{font-size:26px;margin-top:0}label{display:block;font-weight:700;margin:18px 0 6px}\
input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:10px;font-size:16px;border:1px solid #5b616b;border-radius:3px}\
button{font-size:17px;padding:11px 22px;border-radius:4px;border:0;cursor:pointer;margin:22px 12px 0 0}\
.primary{background:#0071bc;color:#fff}.secondary{background:#fff;color:#0071bc;border:2px solid #0071bc}\
.error{background:#f9dede;border-left:6px solid #e31c3d;padding:10px 14px;margin:14px 0}\
.hint{color:#5b616b;font-size:14px}ul{line-height:1.7}.choice{margin-top:18px}";

fn page(lang: Lang, title: &str, header: &str, inner: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{}</title><style>{STYLE}</style></head><body><header>{}</header><main>{inner}</main></body></html>\n",
        lang.code(),
        escape(title),
        escape(header)
    )
}

/// The Medicare.gov log-in page; `error` after a wrong user name or password.
pub fn login(lang: Lang, relay: &str, username: &str, error: bool) -> String {
    let err = if error {
        format!(
            "<div class=\"error\" id=\"login-error\" role=\"alert\">{}</div>",
            lang.pick(
                "The username or password you entered is incorrect.",
                "El nombre de usuario o la contraseña que ingresó no es correcto."
            )
        )
    } else {
        String::new()
    };
    let inner = format!(
        "<h1>{h}</h1>{err}<form method=\"post\" action=\"/mymedicare/sls/login\">\
<input type=\"hidden\" name=\"relay\" value=\"{relay}\">\
<label for=\"username\">{u}</label><input type=\"text\" id=\"username\" name=\"username\" autocomplete=\"username\" value=\"{user}\">\
<label for=\"password\">{p}</label><input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\">\
<p class=\"hint\">{hint}</p>\
<button type=\"submit\" id=\"login-button\" class=\"primary\">{b}</button></form>",
        h = lang.pick("Log in to Medicare.gov", "Inicie sesión en Medicare.gov"),
        u = lang.pick("Username", "Nombre de usuario"),
        p = lang.pick("Password", "Contraseña"),
        hint = lang.pick(
            "Sandbox accounts: BBUser00000 / PW00000! and so on.",
            "Cuentas de prueba: BBUser00000 / PW00000! y así sucesivamente."
        ),
        b = lang.pick("Log in", "Entrar"),
        relay = escape(relay),
        user = escape(username),
    );
    page(lang, "Medicare.gov", "Medicare.gov", &inner)
}

/// The consent form's hidden fields, echoed back on submit.
pub struct ConsentFields<'a> {
    pub action: &'a str,
    pub app_name: &'a str,
    pub hidden: &'a [(&'a str, String)],
}

/// BB2's consent page: share or not the demographic data, Connect or Cancel.
pub fn consent(lang: Lang, f: &ConsentFields<'_>) -> String {
    let hidden: String = f
        .hidden
        .iter()
        .map(|(k, v)| {
            format!(
                "<input type=\"hidden\" name=\"{k}\" value=\"{}\">",
                escape(v)
            )
        })
        .collect();
    let inner = format!(
        "<h1>{h} {app}</h1><p>{intro}</p><ul><li>{l1}</li><li>{l2}</li><li>{l3}</li></ul>\
<form method=\"post\" action=\"{action}\">{hidden}\
<input type=\"hidden\" name=\"share_demographic_scopes\" value=\"False\">\
<div class=\"choice\"><input type=\"checkbox\" id=\"radio_1\" name=\"share_demographic_scopes\" value=\"True\" checked>\
<label for=\"radio_1\" style=\"display:inline\">{share}</label></div>\
<button type=\"submit\" id=\"approve\" name=\"allow\" value=\"Connect\" class=\"primary\">{connect}</button>\
<button type=\"submit\" id=\"deny\" class=\"secondary\">{cancel}</button></form>",
        h = lang.pick(
            "Connect your Medicare claims to",
            "Conecte sus reclamaciones de Medicare a"
        ),
        app = escape(f.app_name),
        intro = lang.pick(
            "This app will be able to see the following information:",
            "Esta aplicación podrá ver la siguiente información:"
        ),
        l1 = lang.pick("Your Medicare claims", "Sus reclamaciones de Medicare"),
        l2 = lang.pick("Your Medicare coverage", "Su cobertura de Medicare"),
        l3 = lang.pick(
            "Your name, date of birth, sex, race and address (if you share it below)",
            "Su nombre, fecha de nacimiento, sexo, raza y dirección (si la comparte abajo)"
        ),
        share = lang.pick(
            "Share my demographic data",
            "Compartir mis datos demográficos"
        ),
        connect = lang.pick("Connect", "Conectar"),
        cancel = lang.pick("Cancel", "Cancelar"),
        action = escape(f.action),
    );
    page(lang, "Blue Button 2.0", "Blue Button 2.0", &inner)
}

/// The sandbox's error page (`invalid_client : …`, the unregistered redirect URI, an inactive app).
pub fn error(message: &str) -> String {
    let inner = format!(
        "<h1>Error</h1><p class=\"error\" id=\"error-message\">{}</p>",
        escape(message)
    );
    page(Lang::En, "Blue Button 2.0", "Blue Button 2.0", &inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_carry_the_hosted_ids_and_escape() {
        let l = login(Lang::Es, "12", "<x>", true);
        for id in [
            "id=\"username\"",
            "id=\"password\"",
            "id=\"login-button\"",
            "Entrar",
            "&lt;x&gt;",
        ] {
            assert!(l.contains(id), "{id}");
        }
        let c = consent(
            Lang::En,
            &ConsentFields {
                action: "/a",
                app_name: "App",
                hidden: &[("state", "\"q".into())],
            },
        );
        for id in [
            "id=\"radio_1\"",
            "id=\"approve\"",
            "id=\"deny\"",
            "value=\"&quot;q\"",
        ] {
            assert!(c.contains(id), "{id}");
        }
    }
}
