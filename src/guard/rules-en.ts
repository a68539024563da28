import { gap, rule, type GuardRule } from './guard-rule.js';

/** English patterns, per category. Weights: ~0.85 unambiguous, ~0.55 strong, ~0.3 supporting. */

const IGNORE = '(?:ignore|disregard|forget|override|overrule|bypass|skip|neglect|drop|abandon|discard|set aside|throw out|do not follow|don\'t follow|stop following|no longer follow)';
const PRIOR = '(?:previous|prior|above|earlier|preceding|foregoing|original|initial|all|any|your|system|existing|current|old|safety|developer|these|those|the)';
const INSTRUCTIONS = '(?:instructions?|directions?|rules?|prompts?|guidelines?|guardrails?|context|constraints?|directives?|commands?|programming|polic(?:y|ies)|restrictions?|orders|training|messages?)';
const SHOW = '(?:repeat|print|output|show|display|reveal|tell me|give me|write out|write down|dump|recite|copy|echo|list|disclose|share|expose|leak|spell out|paste|return|state|provide|send me|what (?:is|are|was|were))';
const SECRET_DATA = '(?:api[ _-]?keys?|passwords?|passwd|credentials?|secrets?|access tokens?|tokens|private keys?|ssh keys?|connection strings?|env(?:ironment)? var(?:iable)?s?|\\.env|session cookies?|database dump|customer (?:list|data|records)|user (?:data|records|list)|chat history|conversation history|the conversation|this conversation|all (?:the )?(?:data|messages|records))';
const EXTERNAL = '(?:https?:|ftp:|www\\.|webhook|pastebin|ngrok|requestbin|my (?:personal )?(?:server|email|e-mail|gmail|inbox|dropbox|drive|endpoint|site|bucket)|an? external|external (?:server|address|email|endpoint|site)|this (?:url|address|endpoint|webhook|email|link)|the following (?:url|address|endpoint|email)|[a-z0-9._%+-]+@[a-z0-9-]+\\.[a-z.]+)';

export const EN_RULES: readonly GuardRule[] = [
  // — prompt injection —
  rule('en.ignore_instructions', 'prompt_injection', 0.85, ['ignor', 'disregard', 'forget', 'overrid', 'overrul', 'bypass', 'skip', 'neglect', 'drop', 'abandon', 'discard', 'aside', 'throw', 'follow'],
    `\\b${IGNORE}\\b${gap(30)}\\b${PRIOR}\\b${gap(25)}\\b${INSTRUCTIONS}\\b`, true),
  rule('en.new_instructions', 'prompt_injection', 0.6, ['instruction', 'task', 'directive', 'prompt'],
    '\\b(?:new|updated|revised|real|actual|true|secret|hidden|override|additional|priority|important)\\s+(?:system\\s+)?(?:instructions?|tasks?|directives?|system prompt|orders)\\s*[:：-]'),
  rule('en.fake_role_marker', 'prompt_injection', 0.55, ['system', 'assistant', 'developer', 'im_start', 'inst]', 'endoftext'],
    '(?:^|\\n|\\s)(?:#{1,4}\\s*)?(?:system|developer|admin)\\s*(?:message|prompt|override|note)?\\s*[:：]\\s*\\S|<\\|?(?:im_start|im_end|system|endoftext)\\|?>|\\[/?(?:inst|system)\\]|<<\\s*sys\\s*>>'),
  rule('en.address_the_model', 'prompt_injection', 0.6, ['ai', 'assistant', 'model', 'llm', 'gpt', 'chatbot', 'bot'],
    '\\b(?:note|message|instructions?|attention) (?:to|for) (?:the |any )?(?:ai|assistant|llm|language model|chatbot|bot|model|gpt)\\b|\\bif you are an? (?:ai|llm|language model|assistant|chatbot|bot)\\b|\\b(?:ai|assistant|llm|model)s? (?:reading|processing|summari[sz]ing|parsing) this\\b', true),
  rule('en.hide_from_user', 'prompt_injection', 0.55, ['user', 'human'],
    `\\b(?:do not|don't|never|without)\\s+(?:tell(?:ing)?|inform(?:ing)?|mention(?:ing)?|reveal(?:ing)?|let(?:ting)?|alert(?:ing)?|notify(?:ing)?)\\b${gap(10)}\\b(?:the )?(?:user|human|reader|customer)\\b`, true),
  rule('en.instead_do', 'prompt_injection', 0.35, ['instead'],
    `\\binstead\\b${gap(6)}\\b(?:say|output|print|respond|reply|write|answer|return|tell|send)\\b`),
  rule('en.pwned', 'prompt_injection', 0.7, ['pwn', 'hacked', 'been'],
    `\\b(?:say|print|output|respond|reply|write|answer|return)\\b${gap(30)}(?:i have been pwned|pwned|i(?:'ve| have) been hacked|hacked)\\b`, true),
  rule('en.stop_task', 'prompt_injection', 0.4, ['stop'],
    '\\bstop (?:what you(?:\'re| are) doing|summari[sz]ing|translating|the (?:summary|translation|task)|everything)\\b'),
  rule('en.decode_and_follow', 'prompt_injection', 0.55, ['decod', 'base64', 'rot13', 'hex', 'cipher'],
    `\\b(?:decode|decipher|decrypt|base64|rot-?13|hex)\\b${gap(60)}\\b(?:follow|execute|obey|run|carry out|do what|act on|comply)\\b`, true),
  rule('en.embedded_override', 'prompt_injection', 0.45, ['override', 'priority', 'supersede', 'takes precedence'],
    '\\b(?:system override|admin override|priority override|supersedes? (?:all|any|the|previous)|takes? precedence over)\\b'),
  rule('en.when_processing', 'prompt_injection', 0.35, ['when', 'while'],
    `\\b(?:when|while|after|before) (?:you )?(?:summari[sz]|translat|answer|respond|read|process|reply|review)\\w*${gap(40)}\\b(?:also|instead|first|secretly|additionally|make sure to|you must)\\b`),

  // — jailbreak —
  rule('en.dan', 'jailbreak', 0.85, ['anything now', 'dan'], '\\bdo anything now\\b|\\bdan (?:mode|prompt|jailbreak)\\b|\\b(?:you are|act as|you\'re|become|called|named) dan\\b', true),
  rule('en.special_mode', 'jailbreak', 0.6, ['mode'],
    '\\b(?:developer|dev|god|unrestricted|jailbreak|jailbroken|evil|chaos|unfiltered|uncensored|debug|sudo|opposite|unlocked|maintenance|root|anarchy|dude|stan|aim)\\s+mode\\b'),
  rule('en.no_limits', 'jailbreak', 0.55, ['restrict', 'limit', 'filter', 'rule', 'censor', 'ethic', 'moral', 'polic', 'guideline', 'safety', 'bound'],
    '\\b(?:no|without|free (?:from|of)|beyond|not bound by|unbound by|don\'t have|do not have|have no|ignore|ignoring|break|breaking|broken free of|released from|escaped?)\\s+(?:any |all |the |your |of )*(?:restrictions?|limitations?|limits|filters?|rules|guidelines|censorship|ethics|ethical (?:guidelines|constraints|boundaries|restrictions)|morals?|moral (?:constraints|guidelines)|content polic(?:y|ies)|safety (?:guidelines|rules|measures|filters?|protocols?)|boundaries|constraints)\\b'),
  rule('en.no_longer_ai', 'jailbreak', 0.6, ['no longer', 'not an'],
    '\\byou (?:are|\'re) (?:now )?(?:no longer|not) (?:an? )?(?:ai|assistant|chatgpt|language model|bound|restricted|limited|claude|gpt)\\b', true),
  rule('en.unrestricted_persona', 'jailbreak', 0.7, ['pretend', 'imagine', 'act as', 'roleplay', 'role-play', 'role play', 'you are now', 'simulate', 'from now on', 'play the', 'become', 'behave'],
    `\\b(?:pretend|imagine|act as|acting as|roleplay|role-play|role play|you are now|you're now|simulate|from now on|play the (?:role|part)|become|behave as|behave like)\\b${gap(80)}\\b(?:unrestricted|unfiltered|uncensored|evil|amoral|immoral|unethical|jailbroken|without (?:any )?(?:rules|restrictions|limits|filters|ethics|morals)|no (?:rules|restrictions|limits|filters|ethics|morals)|can do anything|can say anything|answers? (?:any|every)thing|never refuses?|doesn't refuse|does not refuse|has no (?:rules|restrictions|limits|filters|guidelines))\\b`, true),
  rule('en.roleplay', 'jailbreak', 0.2, ['pretend', 'act as', 'roleplay', 'role-play', 'you are now', 'from now on'],
    '\\b(?:pretend (?:you are|to be|you\'re)|act as (?:if|an?|my)|roleplay as|role-play as|you are now|from now on,? you)\\b'),
  rule('en.disable_safety', 'jailbreak', 0.65, ['filter', 'guideline', 'guardrail', 'restriction', 'safeguard', 'alignment', 'training', 'programming', 'safety', 'censor'],
    `\\b(?:ignore|bypass|disable|turn off|switch off|deactivate|override|remove|circumvent|get around|evade|forget|drop|lift|suspend)\\b${gap(20)}\\b(?:safety|content|ethical|moral|openai|anthropic|your)?\\s*(?:filters?|guidelines|guardrails|restrictions|safeguards|alignment|training|programming|safety (?:rules|measures|protocols|features)|censorship|content polic(?:y|ies))\\b`, true),
  rule('en.never_refuse', 'jailbreak', 0.55, ['refus', 'decline', 'warning', 'disclaimer', 'apologi'],
    '\\b(?:never|must not|cannot|can\'t|can not|don\'t|do not|won\'t|will not|shall not|not allowed to|are not able to)\\s+(?:ever\\s+)?(?:refuse|decline|say no|reject)\\b|\\bwithout (?:any )?(?:refus\\w*|warnings?|disclaimers?|apolog\\w*|moraliz\\w*|lectur\\w*)\\b', true),
  rule('en.stay_in_character', 'jailbreak', 0.4, ['character'], '\\b(?:stay|remain|keep) in character\\b|\\bbreak(?:ing)? character\\b'),
  rule('en.dual_response', 'jailbreak', 0.4, ['response', 'answer', 'jailbreak', 'classic'],
    '\\b(?:two|both|2) (?:different )?(?:responses|answers)\\b.{0,80}\\b(?:normal|classic|filtered|jailbreak|unfiltered)\\b|\\[(?:🔒|🔓)?\\s*(?:classic|jailbreak)\\]'),
  rule('en.grandma', 'jailbreak', 0.45, ['grandm', 'grandp'],
    `\\b(?:dead|late|deceased|passed away|old)\\b${gap(20)}\\b(?:grandma|grandmother|granny|grandpa|grandfather)\\b${gap(60)}\\b(?:used to|would)\\b`),
  rule('en.hypothetical_harm', 'jailbreak', 0.35, ['hypothetic', 'fiction', 'story', 'novel', 'educational', 'purely'],
    `\\b(?:hypothetical(?:ly)?|in a fictional|fictional (?:world|story|scenario)|for a (?:story|novel)|for educational purposes|purely academic)\\b${gap(80)}\\b(?:how to|step[- ]by[- ]step|instructions? (?:for|to|on)|recipe|synthesi[sz]e|make a|build a|hack|bypass|exploit|malware|weapon|explosive|bomb|meth|ransomware|keylogger)\\b`),
  rule('en.jailbreak_word', 'jailbreak', 0.3, ['jailbr'], '\\bjailbr(?:eak|oken)\\b'),

  // — privilege escalation —
  rule('en.role_claim', 'privilege_escalation', 0.35, ['i am', "i'm", 'this is', 'as the', 'as an', 'as your', 'speaking', 'i have'],
    '\\b(?:i am|i\'m|this is|as|speaking as|i have)\\s+(?:the |an? |your |my |our |its )?(?:new |acting |current |lead |chief |senior |head |it |system |database |site |company |department |account |security |super )?(?:administrator|admin|sysadmin|root|superuser|super user|owner|developer|ceo|cto|ciso|cfo|coo|head of \\w+|manager|supervisor|security officer|dba|it support|operator|moderator|auditor|director|vp|president|creator|maker|programmer|engineer who (?:built|made|created))\\b'),
  rule('en.claim_access', 'privilege_escalation', 0.4, ['access', 'privilege', 'right', 'clearance', 'permission', 'authori'],
    '\\bi (?:have|hold|already have|\'ve got|possess|was given|was granted)\\s+(?:full |admin(?:istrator)? |root |elevated |top[- ]level |highest |special |unrestricted |level \\d |security )+(?:access|privileges?|rights|clearance|permissions?|authori[sz]ation)\\b'),
  rule('en.grant_me', 'privilege_escalation', 0.55, ['grant', 'give', 'assign', 'elevat', 'escalat', 'upgrad', 'promot', 'change', 'set', 'make', 'switch', 'add me', 'unlock', 'enable'],
    `\\b(?:grant|give|assign|elevate|escalate|upgrade|promote|change|set|make|switch|add|unlock|enable|raise)\\b${gap(30)}\\b(?:me|my|myself|my account|my role|my user|my permissions?|my access|this account|this session)\\b${gap(30)}\\b(?:admin(?:istrator)?|root|superuser|super user|owner|full|elevated|unrestricted|all|highest|god|sudo|write|management)\\b${gap(12)}\\b(?:access|rights|privileges?|permissions?|role|level|mode|control|clearance)?`, true),
  rule('en.bypass_access_control', 'privilege_escalation', 0.6, ['override', 'bypass', 'skip', 'ignore', 'disable', 'circumvent', 'suspend', 'waive', 'turn off', 'get around', 'lift'],
    `\\b(?:override|bypass|skip|ignore|disable|circumvent|suspend|waive|turn off|get around|lift|remove)\\b${gap(20)}\\b(?:access|permission|authori[sz]ation|authentication|approval|rbac|role|security|acl|privilege|clearance|compliance|two-factor|2fa|mfa|verification)\\b${gap(10)}\\b(?:check|control|policy|policies|restriction|requirement|step|process|rule|limit|gate|level|workflow|review)s?\\b`, true),
  rule('en.skip_approval', 'privilege_escalation', 0.4, ['approval', 'authori', 'verification', 'sign-off', 'signoff', 'checks'],
    '\\b(?:without|no need for|skip(?:ping)?|don\'t need|do not need|no)\\s+(?:the |any |an |manager |usual |normal )*(?:approvals?|authori[sz]ation|verification|sign-?off|checks|ticket)\\b'),
  rule('en.authority_appeal', 'privilege_escalation', 0.35, ['approved', 'authorized', 'authorised', 'said', 'told', 'allowed', 'ok', 'permission'],
    '\\b(?:my|the|our) (?:manager|boss|supervisor|ceo|cto|ciso|director|head of \\w+|admin|administrator|security team|it department)\\b (?:has |already |personally )*(?:approved|authori[sz]ed|said (?:it\'s|it is) (?:ok|fine)|told me to|allowed|gave (?:me )?permission|signed off)'),
  rule('en.bulk_access', 'privilege_escalation', 0.3, ['all', 'every', 'entire', 'other', 'whole'],
    `\\b(?:show|export|list|dump|give me|access|read|download|pull|open|retrieve|see|view|display)\\b${gap(12)}\\b(?:all|every|everyone's|the entire|the whole|all of the|other (?:users|employees|people|customers|patients)'?s?)\\b${gap(20)}\\b(?:users?|customers?|clients?|employees?|staff|patients?|accounts?|records|salar(?:y|ies)|payroll|performance reviews?|medical records?|credit (?:limits?|lines?|scores?)|personnel files?|hr files?|passwords?|emails?|messages|mailboxes)\\b`),
  rule('en.run_as_root', 'privilege_escalation', 0.35, ['sudo', 'root', 'chmod', 'setuid'], '\\b(?:sudo\\s+\\w|run (?:it |this )?as root|chmod 777|setuid|su -|as (?:the )?root user)'),

  // — data exfiltration —
  rule('en.send_data_out', 'data_exfiltration', 0.75, ['send', 'post', 'upload', 'forward', 'transmit', 'email', 'e-mail', 'mail', 'leak', 'exfiltrat', 'copy', 'sync', 'push', 'submit', 'beacon', 'share', 'export'],
    `\\b(?:send|post|upload|forward|transmit|email|e-mail|mail|leak|exfiltrate|copy|sync|push|submit|beacon|share|export|cc|bcc)\\b${gap(80)}\\b(?:to|into|via|at|using|through|on)\\s+${EXTERNAL}`, true),
  rule('en.data_in_url', 'data_exfiltration', 0.7, ['url', 'link', 'image', 'query', 'parameter', 'markdown'],
    `\\b(?:append|include|embed|encode|put|insert|add|attach|render)\\b${gap(60)}\\b(?:conversation|chat|user'?s?|previous|data|messages?|answers?|history|secrets?|keys?|password|credentials?|summary|information|details|pii|contents?)\\b${gap(40)}\\b(?:in|into|as|to|inside)\\s+(?:the |a |an )?(?:url|link|image|img|query(?: string)?|parameter|query parameter|markdown|src)\\b`, true),
  rule('en.exfil_service', 'data_exfiltration', 0.4, ['webhook', 'pastebin', 'ngrok', 'requestbin', 'burpcollab', 'interact.sh', 'oast', 'pipedream', 'transfer.sh'],
    '\\b(?:webhook\\.site|pastebin|ngrok|requestbin|burpcollaborator|interact\\.sh|oast\\.|pipedream|transfer\\.sh|webhook)\\b'),
  rule('en.http_client', 'data_exfiltration', 0.35, ['curl', 'wget', 'requests.post', 'fetch(', 'xmlhttprequest', 'invoke-webrequest'],
    '\\b(?:curl|wget|requests\\.post|fetch\\(|xmlhttprequest|invoke-webrequest)\\b.{0,80}(?:https?:|\\$\\(|`)'),
  rule('en.dump_store', 'data_exfiltration', 0.5, ['dump', 'export', 'extract', 'download', 'list', 'print', 'give me', 'show me', 'copy', 'output'],
    `\\b(?:dump|export|extract|download|list|print|give me|show me|copy|output|pull|retrieve)\\b${gap(12)}\\b(?:the |all |every |entire |whole |full |complete )+(?:database|db|tables?|customer (?:list|database|records|data)|user (?:list|table|database|records)|contacts?|records|credentials|passwords?|api keys?|secrets|tokens|mailbox|inbox|emails|file system|filesystem|source code|repository|\\.env|env file|config(?:uration)? files?)\\b`),
  rule('en.show_secrets', 'data_exfiltration', 0.45, ['key', 'password', 'passwd', 'credential', 'secret', 'token', 'connection string', 'env', 'cookie'],
    `\\b${SHOW}\\b${gap(25)}\\b(?:all |the |your |any |every |stored |saved |internal |system |admin |other users'? |customers'? )*${SECRET_DATA}\\b`, true),
  rule('en.personal_destination', 'data_exfiltration', 0.55, ['personal', 'private', 'gmail', 'hotmail', 'yahoo', 'outlook.com', 'dropbox', 'google drive', 'usb'],
    '\\b(?:to|into|onto|on) (?:my |a )?(?:personal|private|home|own) (?:email|e-mail|gmail|account|drive|dropbox|address|inbox|laptop|phone|usb|cloud)\\b|@(?:gmail|hotmail|yahoo|outlook|proton(?:mail)?|qq|163)\\.(?:com|me)\\b'),

  // — system prompt leak —
  rule('en.show_prompt', 'system_prompt_leak', 0.7, ['prompt', 'instruction', 'system message', 'rules', 'guideline', 'configuration', 'directive', 'context', 'message', 'initiali'],
    `\\b${SHOW}\\b${gap(15)}\\b(?:me |us )?(?:your|the|its|this (?:bot|assistant|model)'?s?)\\s+(?:full |entire |exact |complete |original |initial |hidden |secret |system |developer |internal |underlying |first |pre-?|starting |current |real |actual |complete )*(?:prompt|system prompt|instructions|system message|developer message|rules|guidelines|configuration|directives|pre-?prompt|initiali[sz]ation|context window|setup|persona)\\b`, true),
  rule('en.text_above', 'system_prompt_leak', 0.7, ['above', 'before', 'preceding', 'prior', 'beginning', 'earlier', 'first'],
    `\\b(?:repeat|print|output|copy|translate|summari[sz]e|rewrite|spell out|echo|reproduce|recite|show|display|paste|type out|write out|list|return|encode|convert)\\b${gap(40)}\\b(?:everything|all|the (?:text|words|content|message|messages|lines?|instructions|sentences?|paragraphs?|conversation|prompt)|anything|what(?:ever)? (?:is|was|comes|came))${gap(10)}\\b(?:above|before this|preceding|prior to (?:this|my)|at the (?:beginning|start|top)|earlier in (?:the|this) conversation|you (?:were|have been) given)\\b`, true),
  rule('en.verbatim', 'system_prompt_leak', 0.25, ['verbatim', 'word for word', 'word-for-word', 'code block', 'exactly as'],
    '\\b(?:verbatim|word for word|word-for-word|exactly as (?:written|given|it appears)|in a (?:code ?block|markdown block))\\b'),
  rule('en.how_instructed', 'system_prompt_leak', 0.55, ['told', 'instructed', 'programmed', 'configured', 'prompted', 'set up'],
    '\\b(?:what|how) (?:were|are|have) you (?:been )?(?:told|instructed|programmed|configured|prompted|set up|initiali[sz]ed)\\b|\\bwhat (?:rules|instructions|guidelines) (?:were you|have you been|did they|did your (?:developers|creators)) (?:given|told|give)\\b', true),
  rule('en.begin_with_you_are', 'system_prompt_leak', 0.6, ['you are', 'start', 'begin'],
    '\\b(?:begin|start)(?:ning|s)?\\b.{0,40}\\bwith\\b.{0,5}["\'“‘]?(?:you are|you\'re|system:|#)'),
  rule('en.first_words', 'system_prompt_leak', 0.6, ['first', 'initial', 'beginning'],
    `\\b(?:first|initial|opening|beginning)\\s+(?:\\d+ |few |couple of )?(?:lines?|sentences?|words?|paragraphs?|characters?|message|instructions?)\\b${gap(20)}\\b(?:of|in) (?:your|the|this) (?:prompt|instructions|conversation|system|context|chat|setup)\\b`, true),
  rule('en.system_prompt_word', 'system_prompt_leak', 0.25, ['system prompt', 'system message', 'initial instructions', 'hidden instructions', 'pre-prompt', 'preprompt', 'meta prompt', 'metaprompt'],
    '\\b(?:system prompt|system message|initial instructions|hidden instructions|pre-?prompt|meta ?prompt)\\b'),
  rule('en.ignore_and_reveal', 'system_prompt_leak', 0.3, ['instructions', 'prompt'],
    `\\b(?:your|the)\\s+(?:instructions|prompt)\\b${gap(30)}\\b(?:above|verbatim|in full|exactly)\\b`),
];
