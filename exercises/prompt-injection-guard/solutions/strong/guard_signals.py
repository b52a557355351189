"""Normalisation and signals of the strong guard. Every signal names a mechanism of injection
(who is addressed, what is asked, how it is hidden), not a phrasing seen in the public sample."""

from __future__ import annotations

import base64
import binascii
import codecs
import re
import unicodedata

# --- normalisation ---------------------------------------------------------------------------

_ZERO_WIDTH = re.compile("[\u200b-\u200f\u2060-\u2064\ufeff\u00ad]")
_TAG_CHARS = re.compile("[\U000e0000-\U000e007f]+")
_HOMOGLYPHS = str.maketrans({
    "а": "a", "с": "c", "е": "e", "і": "i", "о": "o", "р": "p", "х": "x", "у": "y", "ѕ": "s",
    "ј": "j", "ν": "v", "ο": "o", "α": "a", "ε": "e", "ι": "i", "κ": "k", "τ": "t", "А": "A",
    "В": "B", "Е": "E", "Н": "H", "І": "I", "К": "K", "М": "M", "О": "O", "Р": "P", "Т": "T",
    "Х": "X", "С": "C", "Ι": "I", "Ο": "O", "Α": "A", "Ε": "E", "Τ": "T", "Κ": "K", "Μ": "M",
})
_LATIN = re.compile("[A-Za-z]")
_FOREIGN_LETTER = re.compile("[\u0370-\u03ff\u0400-\u04ff]")
_LEET = str.maketrans({"4": "a", "3": "e", "1": "i", "0": "o", "5": "s", "7": "t", "9": "g",
                       "8": "b", "@": "a", "$": "s", "|": "l"})
_TOKEN = re.compile(r"[A-Za-z0-9@$|]+")
_NOT_LEET = re.compile(r"^(?:\d+(?:st|nd|rd|th|s|k|m|h|x|px|gb|mb|ghz|am|pm|v)?|[A-Za-z]{1,3}\d+|"
                       r"\d+[A-Za-z])$", re.IGNORECASE)
_SPACED = re.compile(r"(?<![\w])(?:[A-Za-z][ .\-]){3,}[A-Za-z](?![\w])")
_INWORD_PUNCT = re.compile(r"(?<=[A-Za-z])[*_'|](?=[A-Za-z])")
_KEYWORDS = ("instructions", "instruction", "previous", "directions", "guidelines", "password",
             "override", "disregard", "everything", "system", "prompt", "ignore", "forget",
             "reveal", "secret", "rules", "above", "print", "verbatim", "your", "all", "the")
_B64 = re.compile(r"[A-Za-z0-9+/]{16,}={0,2}")
_HEX = re.compile(r"\b(?:[0-9a-fA-F]{2}){10,}\b")


def _fold_word(match: re.Match[str]) -> str:
    word = match.group(0)
    if _LATIN.search(word) and _FOREIGN_LETTER.search(word):
        return word.translate(_HOMOGLYPHS)
    return word


def normalise(text: str) -> tuple[str, str]:
    """(normalised text, ASCII smuggled in Unicode tag characters)."""
    smuggled = "".join(chr(ord(c) - 0xE0000) for c in "".join(_TAG_CHARS.findall(text)))
    text = _ZERO_WIDTH.sub("", _TAG_CHARS.sub("", text))
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\S+", _fold_word, text), smuggled


def _deleet(match: re.Match[str]) -> str:
    token = match.group(0)
    if len(token) < 3 or _NOT_LEET.match(token) or not any(c in token for c in "0134579@$|8"):
        return token
    if not any(c.isalpha() for c in token) and len(token) > 2:
        return token
    return token.translate(_LEET)


def _respace(match: re.Match[str]) -> str:
    run = re.sub(r"[ .\-]", "", match.group(0))
    for word in _KEYWORDS:
        run = re.sub(word, f" {word} ", run, flags=re.IGNORECASE)
    return " " + " ".join(run.split()) + " "


def deobfuscate(text: str) -> str:
    """Undo leetspeak, letter spacing and punctuation inside words."""
    text = _INWORD_PUNCT.sub("", text)
    text = _SPACED.sub(_respace, text)
    return _TOKEN.sub(_deleet, text)


def _printable(data: bytes) -> str | None:
    try:
        decoded = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if len(decoded) < 8:
        return None
    good = sum(ch.isprintable() or ch.isspace() for ch in decoded)
    letters = sum(ch.isalpha() or ch == " " for ch in decoded)
    return decoded if good / len(decoded) > 0.95 and letters / len(decoded) > 0.7 else None


def decoded_blobs(text: str) -> list[str]:
    """Readable prose hidden in base64 or hex blobs."""
    found = []
    for blob in _B64.findall(text):
        try:
            decoded = _printable(base64.b64decode(blob + "=" * (-len(blob) % 4)))
        except (binascii.Error, ValueError):
            decoded = None
        if decoded:
            found.append(decoded)
    for blob in _HEX.findall(text):
        decoded = _printable(bytes.fromhex(blob))
        if decoded:
            found.append(decoded)
    return found


# --- patterns --------------------------------------------------------------------------------

# Layers of the guard. The partial reference solutions are this guard with layers switched off:
# `english-only` without the first two, `no-context` without the third.
NORMALISE = True  # Unicode, homoglyphs, leetspeak, spacing, and decoded views
OTHER_LANGUAGES = True  # French, German, Spanish, Italian, Portuguese, Dutch, Polish
CONTEXT = True  # quoted examples, security material, own corrections, defences, code
_F = "\x00foreign:"  # marks the non-English alternatives below


def _rx(*patterns: str) -> re.Pattern[str]:
    # Matched against lower-cased text: much faster than re.IGNORECASE on long alternations.
    kept = [p.removeprefix(_F) for p in patterns if OTHER_LANGUAGES or not p.startswith(_F)]
    return re.compile("|".join(f"(?:{p})" for p in kept), re.MULTILINE)


_TARGETS = (r"(?:instructions?|directions?|rules|guidelines|directives|prompts?|system messages?|"
            r"constraints|polic(?:y|ies)|programming|safety guidelines|content policy|"
            r"configuration|context|everything you were told)")
OVERRIDE = _rx(
    r"\b(?:ignore|disregard|forget|override|bypass|abandon|drop|set aside|pay no attention to|stop "
    r"following|do not follow|don't follow|no longer follow)\b(?:\s+[\w'-]+){0,5}?\s+" + _TARGETS
    + r"\b",
    r"\b(?:your|the|all)\s+(?:earlier|previous|prior|original|initial|old|current)\s+(?:rules|"
    r"instructions|directives|guidelines)\s+(?:no longer apply|are cancel+ed|are void|were "
    r"(?:only )?a test|do not apply|don't apply)",
    r"\b(?:supersede|replace)s?\s+(?:all\s+)?(?:prior|previous|earlier)\s+(?:ones|instructions)",
    r"\bobey only what follows\b|\beverything before this line is (?:outdated|void|cancel)",
    r"\bcomply with (?:every|all|any) requests?\b|\b(?:admin|maintenance|god|sudo) mode\b|"
    r"\bsystem override\b|\bnew rule from (?:management|the admin\w*)\b",
    # The same in the languages Northwind works in.
    _F + r"\b(?:ignor\w*|oubli\w*|vergiss\w*|olvid\w*|dimentic\w*|esque[cç]\w*|negeer|vergeet|zignoruj|"
    r"zapomnij|ne tenez plus compte)\b[^.\n]{0,40}\b(?:instructions?|consignes|r[eè]gles|"
    r"anweisungen|regeln|vorgaben|instrucciones|reglas|indicaciones|istruzioni|regole|direttive|"
    r"instru[cç][oõ]es|regras|diretrizes|instructies|regels|instrukcje|zasad\w*|polecenia)",
    _F + r"\b(?:vorgaben|indicaciones|direttive|diretrizes|systeeminstructies|polecenia)\b[^.\n]{0,40}"
    r"\b(?:gelten nicht mehr|ya no son v[aá]lidas|non valgono pi[uù]|j[aá] n[aã]o se aplicam|"
    r"gelden niet meer|nie obowi[aą]zuj[aą])",
)
_OWN = _rx(r"\b(?:my|our|what i (?:said|wrote|told you|asked)|i wrote|i said|i pasted|i sent)\b")
# "Make the assistant ignore instructions found in documents" is a defence being designed.
_DEFENSIVE_BEFORE = _rx(r"\b(?:make|makes|making|teach|train|get|instruct)s? (?:the|my|our|an?) "
                        r"(?:assistant|model|bot|llm|agent)s? (?:to )?$")
_DEFENSIVE_AFTER = _rx(r"^[^.\n]{0,14}\b(?:in|inside|within) (?:the )?(?:retrieved|untrusted|"
                       r"external)? ?(?:documents|emails|content|data|web pages)")
LEAK = _rx(
    r"\b(?:print|reveal|repeat|output|show|display|dump|echo|quote|list|tell me|translate|summari"
    r"[sz]e|give me|what (?:is|are|were))\b[^.\n?]{0,40}\b(?:your|the hidden|the secret|the "
    r"original)\s+(?:(?:full|exact|entire|initial|original|hidden|secret|complete)\s+)*(?:system "
    r"prompt|system message|prompt|instructions|rules|preamble|configuration|context window|"
    r"directives)",
    r"\b(?:everything|text|words|the text|the words)\s+above\b",
    r"\bwhat (?:were|are) your (?:exact )?instructions\b|\bmy instructions are:",
    r"\bwhat your developer told you\b|\btold you not to reveal\b|\bsecret key mentioned in your",
    r"\bhidden preamble\b|\bcontext window before\b|\b(?:rules|instructions) you were (?:told|"
    r"given)\b|\binstructions were you given\b",
    _F + r"\b(?:affichez|gib|muestra|mostra|mostre|toon|wypisz)\b[^.\n]{0,30}(?:prompt|systemprompt|"
    r"systeemprompt)",
)
JAILBREAK = _rx(
    r"\b(?:do anything now|developer mode|jailbr(?:oken|eak)|unrestricted|unfiltered|broken free|"
    r"unlimited permissions|never refuses|always says yes|never mentions ethics|no filters)\b",
    r"\bno (?:restrictions|filters|rules|limits|ethical guidelines|content policy|corporate "
    r"guidelines)\b|\bwithout (?:any )?(?:restrictions|filters|rules|limitations|censorship|"
    r"warnings or disclaimers)\b|\bhas no (?:content policy|rules|restrictions)\b",
    r"\b(?:ignore|bypass) the content policy\b|\bbreak the rules\b|\bfree of (?:\w+ )?(?:and \w+ "
    r")?polic(?:y|ies)\b|\bfilters are (?:disabled|off)\b|\bsafety (?:filters|checks) (?:are )?"
    r"(?:disabled|off)\b",
    _F + r"\b(?:sans aucune restriction|ohne jegliche einschr[aä]nkungen|sin ninguna restricci[oó]n|"
    r"senza alcuna restrizione|sem nenhuma restri[cç][aã]o|zonder enige beperkingen|bez [zż]adnych "
    r"ogranicze[nń])",
)
PERSONA = _rx(
    r"\b(?:dan|stan|aim|evilbot|devmode|omega|mongo tom|unfilteredgpt|apex|basedgpt|nightshade|"
    r"freedomgpt)\b|\bstay in character\b|\bpretend (?:you are|you're|to be)\b|"
    r"\byou are (?:now|no longer)\b|\bsimulate\b|\bhypothetical (?:ai|model)\b|\bact as\b|"
    r"\bbreak(?:ing)? character\b|\bi am your creator\b|\bimagine\b|\brole-?play\b",
)
_AI = (r"(?:ai|a\.i\.|llm|language models?|assistant|chatbot|bot|copilot|chatgpt|claude|gemini|"
       r"agents?|automated assistants?|summari[sz]er)")
_NOT_AI = r"(?! (?:manager|team|developers?|engineers?|director|lead)s?\b)"
ADDRESS = _rx(
    r"\b(?:note|message|instructions?|notice|directive|p\.?s\.?)s? (?:to|for) (?:the |any |all )?"
    + _AI + r"\b" + _NOT_AI,
    r"\bif (?:you are|you're) (?:an? )?(?:ai|llm|language model|assistant|automated)",
    r"\b(?:dear|hey|hi|attention|to) (?:the )?(?:ai|llm|assistant|copilot|chatgpt|claude|gemini|"
    r"bot|language model)\b" + _NOT_AI,
    r"(?:^|[.>*(:!]\s*)(?:ai|llm|assistant|copilot|chatgpt|claude|gemini|ai agents?|ai systems?)"
    r"\s*[:,]",
    r"\b(?:ai (?:assistants?|agents?|systems?|models?|coding agents?|scheduling assistant)|"
    r"language models?|llms?|any automated assistant|assistant_directive)\b[^.\n]{0,30}\b(?:must|"
    r"should|shall|will|needs? to)\b",
    r"\b(?:ai|an? llm) (?:is )?(?:processing|reading|summari[sz]ing) this\b|\bif an llm\b",
    r"@copilot\b|\bfor the (?:assistant|bot|ai)\b|\bassistant instructions\b",
    _F + r"\b(?:assistant ia|ki-assistent\w*|asistente de ia|assistente (?:de )?ia|ai-assistent|"
    r"asystenta ai|vous [eê]tes une ia|du eine ki|eres una ia|sei un'intelligenza|[eé] uma ia|je "
    r"een ai bent|jeste[sś] ai)",
)
DIRECTIVE = _rx(
    r"\b(?:tell|inform|warn|convince|remind) the (?:user|reader)s?\b",
    r"\b(?:say|state|claim|conclude|answer|respond|reply) (?:that|as|with|only)\b",
    r"\b(?:in|at the (?:start|end) of|to) your (?:answer|reply|response|summary|output)\b",
    r"\b(?:end|start|begin|greet) (?:your|every|each|the user)\b[^.\n]{0,30}\b(?:answer|reply|"
    r"response|with)\b",
    r"\bwhen (?:you|asked|comparing|summari[sz]ing)\b[^.\n]{0,40}\b(?:answer|summari[sz]e|respond|"
    r"reply|say|report|conclude|mention|recommend|compar\w+)",
    r"\b(?:in every answer|whatever the (?:user|question)|regardless of the question|whatever "
    r"the user asked|instead of answering|ignore the user'?s? question|ignore the question|"
    r"refuse to answer)\b",
    r"\b(?:rank|mark|recommend|approve|treat)\b[^.\n]{0,40}\b(?:first|as verified|as approved|as "
    r"safe|the best choice|pre-approved)\b",
    _F + r"\b(?:r[eé]pondez|antworte|responde|rispondi|responda|antwoord|odpowiedz|dites|dile|sag|"
    r"di'|diga|zeg|powiedz|napisz|behaupte|afferma|affichez|envoyez|schicke|env[ií]a|invia|"
    r"envie|stuur|wy[sś]lij)\b",
)
_VERBS = (r"answer|reply|respond|say|tell|state|claim|include|list|print|reveal|output|repeat|"
          r"send|forward|email|call|invoke|execute|run|use|delete|share|post|upload|create|add|"
          r"summari[sz]e|refuse|recommend|mark|rank|ignore|disregard|forget|write|render|append|"
          r"show|encode|insert|end|approve|transfer|pay|greet|conclude|report|record|treat|"
          r"accept|skip|put|load|fill|open|submit|invite|grant|disable")
IMPERATIVE = _rx(r"(?:^|[.!?:;(*>]\s*|\b(?:please|also|then|now|and|must|should)\s+)(?:" + _VERBS
                 + r")\b")
SECRECY = _rx(
    r"\b(?:do not|don't|never|must not) (?:mention|reveal|tell|disclose|inform|say)\b[^.\n]{0,40}"
    r"\b(?:this|these|note|instructions?|message|it)\b",
    r"\bwithout (?:telling|informing|alerting|notifying) the user\b|\bkeep this (?:secret|hidden|"
    r"confidential)\b|\bsilently\b|\bmust stay invisible\b|\bdon't mention it\b",
    _F + r"ne mentionnez pas|erw[aä]hne\b[^.\n]{0,30}\bnicht|no menciones|non menzionare|n[aã]o "
    r"mencione|noem\b[^.\n]{0,20}\bniet|nie wspominaj",
)
HARMFUL = _rx(
    r"\b(?:passwords?|passcodes?|one-time (?:code|passcode)|credentials|api keys?|private keys?|"
    r"secret key|ssh|id_rsa|authorized_keys|card numbers?|iban|salary|salaries|home address\w*|"
    r"phishing|malware|fake invoice|mailbox|audit logging|sick leave|session cookie|cookies?|"
    r"recalled|unsafe|suspended|locked|pwned|access granted|hacked|insult\w*|rude|"
    r"admin(?:istrator)? password)\b",
    _F + r"\b(?:mot de passe|passwort\w*|contrase[nñ]as?|senhas?|wachtwoord\w*|has[lł]\w*|piraté|"
    r"gehackt|hackeado|hackerato|zhakowany|bloqu[eé]|gesperrt|bloqueada|bloccato|geblokkeerd|"
    r"zablokowane|chatverlauf|historial|cronologia|hist[oó]rico|chatgeschiedenis|histori[eę])",
)
FAKE_ROLE = _rx(
    r"^[ \t>]*(?:<\|(?:im_start|im_end|system|endoftext|end)\|>|\[/?system\]|</?system>|<<sys>>|"
    r"\[/?inst\]|#{2,}\s*system|begin admin message|<admin_override|\[\[developer\]\]|-*\s*end of "
    r"(?:retrieved )?context|</(?:document|context|search_results)>|\{\s*\"role\":\s*\"system\"|"
    r"(?:system|assistant|user)\s*:|new instructions from the (?:developer|admin\w*|system)|#+\s*"
    r"end of user input|system override|system notice)",
)
# A URL whose query is left for the model to fill: a placeholder ({x}, [X], <x>, DATA) or an
# empty value. Matched on the original text: the placeholders are upper case.
EXFIL_URL = re.compile(
    r"https?://[^\s)\"']*[?&][\w-]+=(?:[{\[<]|[A-Z][A-Z_]{3,}(?![a-z])|\)|\s|$|\"|')",
    re.MULTILINE)
EXFIL = _rx(
    r"\b(?:append|add|encode|put|write|fill|insert|include|load|paste|replace)\b[^.\n]{0,80}\b(?:"
    r"url|query string|link|image|hyperlink|placeholder)\b",
    r"\b(?:conversation|chat history|previous messages|user'?s? (?:question|email|full name|address"
    r"|order history|last (?:three )?messages)|api keys|session|username|last_message)\b[^.\n]"
    r"{0,60}\b(?:url|link|image|query)\b",
)
TOOL = _rx(
    r"\b(?:call|invoke|use|using|run|execute|trigger|via)\b[^.\n]{0,30}\b(?:tool|function|api|"
    r"[a-z]+_[a-z_]+|[a-z]+\.[a-z]+\()",
    r"\"(?:tool_call|function|action|tool)\"\s*:|<tool_use\b|next_action\b",
)
TOOL_BAD = _rx(
    r"\b(?:forward|send|post|share|upload|email|add)\b[^.\n]{0,60}\b(?:to|with)?\s*[\w.+-]+@"
    r"(?!northwind\.example\b)[\w-]+\.",
    r"\bcurl\b[^\n]{0,80}\|\s*(?:ba)?sh\b|\bpip install\b[^\n]{0,60}--index-url|authorized_keys|"
    r"\bdrop table\b|\bdelete every\b|\bcreate a new admin\b|\bid_rsa\b|session cookie|"
    r"transfer_funds|forwarding address",
    _F + r"\b(?:leite|weiter|transf[eé]r\w*|stuur|envoyez|env[ií]a|invia|envie|wy[sś]lij|schicke)\b"
    r"[^.\n]{0,60}\S+@\S+",
)
EXTERNAL = re.compile(r"\b[\w.+-]+@(?!northwind\.example\b)[\w-]+\.[\w.-]+|https?://(?![\w.-]*"
                      r"northwind\.example\b)[\w.-]+|\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,}")
# Material about attacks on AI systems: quotations inside it are examples, not instructions.
META = _rx(
    r"\bprompt[- ]injections?\b|\binjection (?:attempts?|attack)|\bjailbreak (?:attempts?|patterns?"
    r"|prompts?)|\bred[- ]team\b|\bpen(?:etration)? ?test|\bpayloads?\b|\battackers?\b|"
    r"\badversar|\bguardrail\b|\bdetection rule\b|\bowasp\b|\bclassify these\b|\bis (?:that|this) "
    r"an? (?:prompt[- ])?injection|\bawareness tip\b|\bquiz question\b|\bwhat is an? \w+ "
    r"jailbreak\b|\bhow do (?:we|i) harden\b",
)
_QUOTED = re.compile(r"\"[^\"\n]{4,400}\"|“[^”]{4,400}”|«[^»]{4,400}»|(?<![\w])'[^'\n]{4,300}'"
                     r"(?![\w])|```.*?```|`[^`\n]+`|<!--.*?-->", re.DOTALL)
# A quotation introduced as an example is a mention, not an instruction ("phrases such as '...'").
_EXAMPLE = re.compile(
    r"(?:such as|for example|e\.g\.|like|phrases?|typed|typing|pasted|asked|asking (?:them|it) to|"
    r"started with|began with|saying|says|wrote|example is|payload used[^:]*:|seeing|saw|see|"
    r"received|noticed|found|got|mean|means)\s*[:,]?\s*(?:\"[^\"\n]{4,400}\"|“[^”]{4,400}”|"
    r"'[^'\n]{4,300}'(?![\w])|<!--.*?-->|```.*?```)", re.IGNORECASE | re.DOTALL)
_CODE_SPAN = re.compile(r"```.*?(?:```|$)|`[^`\n]+`", re.DOTALL)
_HIDDEN = (
    re.compile(r"<!--(.*?)-->", re.DOTALL),
    re.compile(r"<(\w+)[^>]*(?:display:\s*none|font-size:\s*[01](?:px)?\b|color:\s*(?:#f{3,6}|"
               r"white|transparent)|opacity:\s*0|left:\s*-\d+px|\bhidden\b|aria-hidden)[^>]*>"
               r"(.*?)</\1>", re.DOTALL | re.IGNORECASE),
    re.compile(r"<(?:meta|img)[^>]*(?:content|alt|title)=\"([^\"]*)\"", re.IGNORECASE),
    re.compile(r"<noscript>(.*?)</noscript>|<details>.*?</summary>(.*?)</details>", re.DOTALL),
    re.compile(r"^\[(?://|comment)\]: ?(?:#|<>) ?\((.*)\)$", re.MULTILINE),
    re.compile(r"!\[([^\]]{12,})\]\("),
    re.compile(r"\[[^\]]*\]\(\S+ \"([^\"]+)\"\)"),
    re.compile(r"^(?:DESCRIPTION|SUMMARY|summary|description|note|comment):\s*(.+)$", re.MULTILINE),
    re.compile(r"\"(?:description|note|comment|summary)\":\s*\"([^\"]+)\""),
)
_TRIGGERS = ("ignore", "instruction", "prompt", "assistant", "system", "password", "previous",
             "disregard", "reveal")
_INSTRUCTION = ("override", "leak", "jailbreak", "directive", "secrecy", "exfil", "tool_bad")

FEATURES = ("override", "leak", "jailbreak", "persona", "address", "directive", "imperative",
            "secrecy", "harmful", "fake_role", "exfil", "tool", "tool_bad", "external",
            "hidden", "encoded", "meta", "own", "code")


# --- scanning --------------------------------------------------------------------------------

def _override(text: str) -> bool:
    for match in OVERRIDE.finditer(text):
        window = text[max(0, match.start() - 12): match.end()]
        before = text[max(0, match.start() - 40): match.start()]
        after = text[match.end(): match.end() + 60]
        if CONTEXT and (_OWN.search(window) or _DEFENSIVE_BEFORE.search(before)
                        or _DEFENSIVE_AFTER.search(after)):
            continue
        return True
    return False


def _core(original: str) -> dict[str, float]:
    text = original.lower()
    return {
        "override": float(_override(text)),
        "leak": float(bool(LEAK.search(text))),
        "jailbreak": float(bool(JAILBREAK.search(text))),
        "persona": float(bool(PERSONA.search(text))),
        "address": float(bool(ADDRESS.search(text))),
        "directive": float(bool(DIRECTIVE.search(text))),
        "imperative": float(bool(IMPERATIVE.search(text))),
        "secrecy": float(bool(SECRECY.search(text))),
        "harmful": float(bool(HARMFUL.search(text))),
        "fake_role": float(bool(FAKE_ROLE.search(text))),
        "exfil": float(bool(EXFIL.search(text) or EXFIL_URL.search(original))),
        "tool": float(bool(TOOL.search(text))),
        "tool_bad": float(bool(TOOL_BAD.search(text))),
        "external": float(bool(EXTERNAL.search(original))),
    }


def _merge(into: dict[str, float], other: dict[str, float]) -> None:
    for key, value in other.items():
        into[key] = max(into.get(key, 0.0), value)


def scan(text: str) -> dict[str, float]:
    """Signals of a text over its readable views (as written, de-obfuscated) and its decoded
    views (base64, hex, Unicode tags, ROT13, reversed). A decoded view counts only when it reads
    as an instruction: benign base64 and the gibberish of ROT13 or reversed prose do not."""
    found = {k: 0.0 for k in FEATURES}
    if not NORMALISE:
        _merge(found, _core(text))
        return found
    plain, smuggled = normalise(text)
    _merge(found, _core(plain))
    clean = deobfuscate(plain)
    if clean != plain:
        _merge(found, _core(clean))
    decoded = decoded_blobs(plain) + ([smuggled] if smuggled else [])
    # ROT13 and reversal are cheap to compute but costly to scan: only views that contain a word
    # an instruction needs are worth it.
    for view in (codecs.encode(plain, "rot13"), plain[::-1]):
        low = view.lower()
        if any(word in low for word in _TRIGGERS):
            decoded.append(view)
    for view in decoded:
        core = _core(view)
        if core["override"] or core["leak"] or core["jailbreak"] or (
                core["address"] and core["imperative"]):
            found["encoded"] = 1.0
            _merge(found, core)
    return found


def _hidden_regions(text: str) -> str:
    parts = []
    for pattern in _HIDDEN:
        for match in pattern.finditer(text):
            parts.append(" ".join(g for g in match.groups() if g and len(g) > 2))
    return "\n".join(parts)


def user_features(message: str) -> dict[str, float]:
    # Code the user pastes, and attacks the user quotes as examples, are what they ask about.
    body = _EXAMPLE.sub(" ", _CODE_SPAN.sub(" ", message)) if CONTEXT else message
    meta = CONTEXT and bool(META.search(message.lower()))
    if meta:
        body = _QUOTED.sub(" ", body)
    found = scan(body)
    found["meta"] = float(meta)
    found["own"] = float(CONTEXT and bool(_OWN.search(message.lower())))
    return found


def document_features(source: str, text: str) -> dict[str, float]:
    meta = CONTEXT and bool(META.search(text.lower()))
    body = _QUOTED.sub(" ", text) if meta else _EXAMPLE.sub(" ", text) if CONTEXT else text
    found = scan(body)
    hidden = _hidden_regions(body)
    if hidden.strip():
        inside = scan(hidden)
        if any(inside[k] for k in _INSTRUCTION) or inside["address"] or \
                (inside["imperative"] and inside["harmful"]) or inside["encoded"]:
            found["hidden"] = 1.0
    code = CONTEXT and source.lower().startswith("code:")
    if code:
        # Prompt-building code legitimately holds role tags, system prompts and tool names.
        for key in ("fake_role", "leak", "tool", "directive", "imperative"):
            found[key] = 0.0
    found["meta"] = float(meta)
    found["own"] = float(CONTEXT and bool(_OWN.search(text.lower())))
    found["code"] = float(code)
    return found


# --- the prior -------------------------------------------------------------------------------
# Hand-set log-odds from the threat model, not from data: a document that addresses the
# assistant, hides an instruction, or asks to leak, exfiltrate or call tools is an attack; the
# same words in the user's own message are mostly requests, unless they override the assistant's
# instructions, ask for them, or jailbreak it.

def prior_logit(f: dict[str, float], in_document: bool) -> float:
    instruction = max(f[k] for k in _INSTRUCTION)
    logit = -4.0
    if in_document or not CONTEXT:
        logit += 3.0 * f["override"] + 2.2 * f["leak"] + 2.6 * f["jailbreak"]
        logit += 3.0 * f["address"] + 1.0 * f["address"] * max(instruction, f["imperative"])
        logit += 1.0 * f["directive"] + 1.6 * f["secrecy"] + 0.6 * f["harmful"] * instruction
        logit += 1.2 * f["fake_role"] + 1.6 * f["fake_role"] * max(
            instruction, f["imperative"], f["harmful"])
        logit += 3.0 * f["exfil"] + 0.8 * f["tool"] + 3.0 * f["tool_bad"]
        logit += 3.0 * f["hidden"] + 3.0 * f["encoded"]
        logit -= 1.5 * f["meta"] + 2.0 * f["code"]
    else:
        logit += 3.6 * f["override"] + 4.6 * f["leak"] + 3.6 * f["jailbreak"]
        logit += 0.9 * f["persona"] * (1 + 2 * f["harmful"]) + 1.4 * f["harmful"]
        logit += 3.0 * f["encoded"] + 1.2 * f["fake_role"] + 0.8 * f["secrecy"]
        logit += 1.5 * f["exfil"] + 1.5 * f["tool_bad"]
        logit -= 1.5 * f["meta"]
    return logit
