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

/// The pages' stylesheet, inline so the server has no static files: the CMS design system's
/// colours (primary #0071bc, dark #205493, info #e1f3f8 / #02bfe7, error #e31c3d) and its
/// system font stack.
const STYLE: &str = "*{box-sizing:border-box}\
body{font-family:'Open Sans','Segoe UI',Roboto,Helvetica,Arial,sans-serif;margin:0;background:#f1f1f1;color:#212121;font-size:16px;line-height:1.5}\
.sandbox{background:#323a45;color:#fff;font-size:13px;padding:5px 24px}\
header{background:#0071bc;color:#fff;padding:14px 24px;display:flex;align-items:center;gap:12px;border-bottom:4px solid #205493}\
.wordmark{font-size:24px;font-weight:700;letter-spacing:-.5px}.wordmark .tld{font-weight:400;opacity:.9}\
.badge{display:inline-flex;align-items:center;justify-content:center;width:38px;height:38px;border-radius:50%;background:#fff;color:#0071bc;font-weight:800;font-size:15px}\
.by{font-size:13px;opacity:.85;margin-left:4px}\
main{max-width:600px;margin:36px auto;background:#fff;padding:32px 40px 28px;border-radius:6px;box-shadow:0 2px 8px rgba(0,0,0,.15)}\
h1{font-size:28px;line-height:1.25;margin:0 0 8px;color:#112e51}.lead{color:#5b616b;margin:0 0 20px}\
label{display:block;font-weight:700;margin:18px 0 6px}\
input[type=text],input[type=password]{width:100%;padding:10px 12px;font-size:17px;border:1px solid #5b616b;border-radius:4px}\
input:focus,button:focus{outline:3px solid #3e94cf;outline-offset:2px}\
button{font-size:17px;font-weight:700;padding:12px 28px;border-radius:4px;border:0;cursor:pointer;margin:24px 12px 0 0}\
.primary{background:#0071bc;color:#fff}.primary:hover{background:#205493}\
.secondary{background:#fff;color:#0071bc;box-shadow:inset 0 0 0 2px #0071bc}\
.wide{width:100%;margin-right:0}\
.error{background:#f9dede;border-left:8px solid #e31c3d;padding:12px 16px;margin:16px 0}\
.info{background:#e1f3f8;border-left:8px solid #02bfe7;padding:12px 16px;margin:22px 0 0;font-size:15px}\
.info code{font-family:Menlo,Consolas,monospace;font-size:14px}\
.app{color:#0071bc}.data{list-style:none;padding:0;margin:0 0 8px}\
.data li{padding:10px 0 10px 34px;border-top:1px solid #d6d7d9;position:relative}\
.data li::before{content:'\\2713';position:absolute;left:6px;top:9px;color:#2e8540;font-weight:800}\
.choice{background:#f1f1f1;border-radius:4px;padding:14px 16px;margin-top:18px}\
.choice input{width:20px;height:20px;accent-color:#0071bc;vertical-align:-4px;margin:0 10px 0 0}\
.choice label{display:inline;margin:0}.choice p{margin:6px 0 0 30px;color:#5b616b;font-size:14px}\
footer{text-align:center;color:#5b616b;font-size:13px;padding:0 24px 32px}";

/// Whose page it is: Medicare.gov's log-in or Blue Button's own pages.
#[derive(Clone, Copy)]
enum Brand {
    Medicare,
    BlueButton,
}

impl Brand {
    fn title(self) -> &'static str {
        match self {
            Brand::Medicare => "Medicare.gov",
            Brand::BlueButton => "Blue Button 2.0",
        }
    }

    fn header(self) -> &'static str {
        match self {
            Brand::Medicare => {
                "<span class=\"wordmark\">Medicare<span class=\"tld\">.gov</span></span>"
            }
            Brand::BlueButton => {
                "<span class=\"badge\">BB</span><span class=\"wordmark\">Blue Button 2.0</span><span class=\"by\">CMS.gov</span>"
            }
        }
    }
}

fn page(lang: Lang, brand: Brand, heading: &str, inner: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{} - {}</title><style>{STYLE}</style></head><body><div class=\"sandbox\">{}</div>\
<header>{}</header><main>{inner}</main><footer>{}</footer></body></html>\n",
        lang.code(),
        escape(heading),
        brand.title(),
        lang.pick(
            "Local Blue Button 2.0 sandbox: synthetic data, no real beneficiaries",
            "Entorno de prueba local de Blue Button 2.0: datos sintéticos, ningún beneficiario real"
        ),
        brand.header(),
        lang.pick(
            "A Medicare Blue Button 2.0 sandbox running on this computer.",
            "Un entorno de prueba de Medicare Blue Button 2.0 que se ejecuta en esta computadora."
        ),
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
    let heading = lang.pick("Log in to Medicare.gov", "Inicie sesión en Medicare.gov");
    let inner = format!(
        "<h1>{heading}</h1><p class=\"lead\">{lead}</p>{err}<form method=\"post\" action=\"/mymedicare/sls/login\">\
<input type=\"hidden\" name=\"relay\" value=\"{relay}\">\
<label for=\"username\">{u}</label><input type=\"text\" id=\"username\" name=\"username\" autocomplete=\"username\" value=\"{user}\">\
<label for=\"password\">{p}</label><input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\">\
<button type=\"submit\" id=\"login-button\" class=\"primary wide\">{b}</button></form>\
<div class=\"info\">{hint}</div>",
        lead = lang.pick(
            "Log in to share your Medicare claims with the app you came from.",
            "Inicie sesión para compartir sus reclamaciones de Medicare con la aplicación de la que viene."
        ),
        u = lang.pick("Username", "Nombre de usuario"),
        p = lang.pick("Password", "Contraseña"),
        hint = lang.pick(
            "Sandbox accounts: <code>BBUser00000</code> / <code>PW00000!</code>, <code>BBUser00001</code> / <code>PW00001!</code> and so on.",
            "Cuentas de prueba: <code>BBUser00000</code> / <code>PW00000!</code>, <code>BBUser00001</code> / <code>PW00001!</code> y así sucesivamente."
        ),
        b = lang.pick("Log in", "Entrar"),
        relay = escape(relay),
        user = escape(username),
    );
    page(lang, Brand::Medicare, heading, &inner)
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
        "<h1><span class=\"app\">{app}</span>{h}</h1><p class=\"lead\">{intro}</p>\
<ul class=\"data\"><li>{l1}</li><li>{l2}</li></ul>\
<form method=\"post\" action=\"{action}\">{hidden}\
<input type=\"hidden\" name=\"share_demographic_scopes\" value=\"False\">\
<div class=\"choice\"><input type=\"checkbox\" id=\"radio_1\" name=\"share_demographic_scopes\" value=\"True\" checked>\
<label for=\"radio_1\">{share}</label><p>{share_what}</p></div>\
<button type=\"submit\" id=\"approve\" name=\"allow\" value=\"Connect\" class=\"primary\">{connect}</button>\
<button type=\"submit\" id=\"deny\" class=\"secondary\">{cancel}</button></form>",
        h = lang.pick(
            " wants to access your Medicare claims",
            " quiere acceder a sus reclamaciones de Medicare"
        ),
        app = escape(f.app_name),
        intro = lang.pick(
            "When you select Connect, the app will be able to see:",
            "Si selecciona Conectar, la aplicación podrá ver:"
        ),
        l1 = lang.pick(
            "Your Medicare claims: doctor visits, hospital stays, prescriptions and more",
            "Sus reclamaciones de Medicare: consultas médicas, estadías en el hospital, recetas y más"
        ),
        l2 = lang.pick(
            "Your Medicare coverage: Parts A, B, C and D",
            "Su cobertura de Medicare: Partes A, B, C y D"
        ),
        share = lang.pick(
            "Share my demographic data",
            "Compartir mis datos demográficos"
        ),
        share_what = lang.pick(
            "Your name, date of birth, sex, race and address. Without them the app gets your claims and coverage only.",
            "Su nombre, fecha de nacimiento, sexo, raza y dirección. Sin ellos, la aplicación solo recibe sus reclamaciones y su cobertura."
        ),
        connect = lang.pick("Connect", "Conectar"),
        cancel = lang.pick("Cancel", "Cancelar"),
        action = escape(f.action),
    );
    let title = lang.pick("Allow access", "Permitir el acceso");
    page(lang, Brand::BlueButton, title, &inner)
}

/// The sandbox's error page (`invalid_client : …`, the unregistered redirect URI, an inactive app).
pub fn error(message: &str) -> String {
    let inner = format!(
        "<h1>Error</h1><p class=\"error\" id=\"error-message\">{}</p>",
        escape(message)
    );
    page(Lang::En, Brand::BlueButton, "Error", &inner)
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
