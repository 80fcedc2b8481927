/**
 * The text of the demo inspections' findings (db/demo-inspections.server.ts), by criterion code, for NCSC CAF v3.2
 * (GovAssure Baseline profile) and Cyber Essentials Plus v3.1 (All met).
 *
 * FICTIONAL. Written for the demo, plausible for an NHS trust, and about no real trust: the demo puts them on real
 * trusts' names (RJ1, RRU, RTD) only so the demo trust users can be tried. Nothing here describes any trust's actual
 * security.
 *
 * Per finding: `rating` is the rating chosen (left out where the Cyber Essentials requirements answered decide it);
 * `answers` are those requirements in the framework's order, "y" Met, "n" Not met, "-" not answered; an override of
 * the derived rating carries `overrideReason`; every gap (a rating below the profile's minimum) has a `severity`
 * (the seed checks both); evidence left out comes from DEMO_FINDINGS_EVIDENCE.
 */
import type { Rating, Severity } from "../app/baseline/rating";

export interface DemoFinding {
  rating?: Rating;
  answers?: string;
  overrideReason?: string;
  observed: string;
  documents?: string;
  people?: string;
  systems?: string;
  /** Cyber Essentials Plus tests: [devices sampled, devices failing]. */
  devices?: [number, number];
  severity?: Severity;
  recommendation?: string;
}

/** A reviewer's "clarify" comment, the team's answer, and what the finding says once revised. */
export interface DemoClarification {
  code: string;
  comment: string;
  answer: string;
  revised: Partial<DemoFinding>;
}

export interface DemoInspectionScript {
  findings: Record<string, DemoFinding>;
  clarify: DemoClarification[];
}

const A = "achieved";
const PA = "partially_achieved";
const NA = "not_achieved";

/** What the team saw for each criterion, as [documents, people, systems], unless a finding says otherwise. */
export const DEMO_FINDINGS_EVIDENCE: Record<string, [string, string, string]> = {
  "A1.a": ["Board and audit committee papers and minutes for the last 12 months; board assurance framework", "Chief digital information officer (SIRO); a non-executive director", ""],
  "A1.b": ["Governance chart; role descriptions; terms of reference of the digital and information governance groups; on-call rotas", "SIRO; head of cyber security; IT on-call engineer; Caldicott Guardian", ""],
  "A1.c": ["Risk acceptances from the last 12 months; change advisory board records; scheme of delegation", "Head of cyber security; head of procurement", "Risk register"],
  "A2.a": ["Risk management policy; cyber risk register; the last two risk reviews", "Head of cyber security; head of risk", "Risk register"],
  "A2.b": ["Internal audit reports; penetration test reports; DSPT submission and independent audit", "Head of cyber security; internal auditor", ""],
  "A3.a": ["Asset register extract; medical devices inventory; network discovery report", "IT asset manager; head of clinical engineering", "Configuration management database; network discovery tool"],
  "A4.a": ["Supplier register; a sample of five contracts and data processing agreements; supplier access procedure", "Head of procurement; head of cyber security", "Supplier remote access gateway"],
  "B1.a": ["Information security policy and the policies under it, with their review dates", "Head of information governance; head of cyber security", ""],
  "B1.b": ["Policy exceptions log; a sample of completed procedures (starters, leavers, changes)", "Service desk manager; head of cyber security", "Service desk tickets"],
  "B2.a": ["Access control policy; remote access standard; MFA coverage report", "Identity and access manager", "Remote access gateway; identity provider"],
  "B2.b": ["Device management standard; device compliance report", "End-user computing manager", "Device management console"],
  "B2.c": ["Privileged account list; the last privileged access review", "Identity and access manager; infrastructure manager", "Directory; privileged access management tool"],
  "B2.d": ["Joiners, movers and leavers procedure; a sample of 20 leavers against account disable dates", "Identity and access manager; HR systems lead", "Directory; HR system"],
  "B3.a": ["Information asset register; data flow maps for the main clinical systems", "Head of information governance; two information asset owners", ""],
  "B3.b": ["Network design; encryption standard; list of external data flows", "Network manager", "Firewalls; email gateway"],
  "B3.c": ["Encryption standard; storage design", "Infrastructure manager", "Storage arrays; database servers"],
  "B3.d": ["Mobile device policy; device compliance report", "End-user computing manager", "Mobile device management console"],
  "B3.e": ["Disposal procedure; certificates of destruction from the disposal supplier", "IT asset manager", ""],
  "B4.a": ["Architecture review records for recent projects; network segmentation design", "Enterprise architect; network manager", ""],
  "B4.b": ["Build standards; configuration compliance report; medical devices inventory", "End-user computing manager; head of clinical engineering", "Configuration management tool"],
  "B4.c": ["Administration standard; jump server design", "Infrastructure manager", "Jump servers; management network"],
  "B4.d": ["Vulnerability management procedure; patching reports for the last three months; NHS England cyber alert log", "Infrastructure manager; head of cyber security", "Vulnerability scanner; patch management console"],
  "B5.a": ["Business continuity plans for three clinical services; downtime procedures", "Emergency preparedness lead; two service managers", ""],
  "B5.b": ["Network and data centre design; single points of failure analysis", "Infrastructure manager; network manager", "Data centres"],
  "B5.c": ["Backup policy; backup reports; the last three restore test records", "Infrastructure manager; backup administrator", "Backup platform"],
  "B6.a": ["Staff survey results on reporting; phishing simulation results", "Head of cyber security; communications lead", ""],
  "B6.b": ["Training records; the training plan for IT staff", "Head of learning and development; head of cyber security", "Learning management system"],
  "C1.a": ["Monitoring coverage map; security monitoring service contract", "Security operations lead", "Security information and event management (SIEM)"],
  "C1.b": ["Log retention standard; SIEM access list", "Security operations lead", "SIEM"],
  "C1.c": ["Alert rules; the NHS England CSOC alert feed set-up", "Security operations lead", "SIEM; endpoint detection and response console"],
  "C1.d": ["Alert triage records for the last month; incident tickets", "Security operations lead; service desk manager", "SIEM; service desk"],
  "C1.e": ["Team structure; training records for the security operations staff", "Security operations lead", ""],
  "C2.a": ["Baselines of normal activity; anomaly alert rules", "Security operations lead", "SIEM"],
  "C2.b": ["Threat hunting records", "Security operations lead", "Endpoint detection and response console"],
  "D1.a": ["Cyber incident response plan; its links to the major incident plan", "Head of cyber security; emergency preparedness lead", ""],
  "D1.b": ["Incident response retainer; recovery runbooks for the main clinical systems", "Head of cyber security; infrastructure manager", ""],
  "D1.c": ["Exercise reports and action logs", "Emergency preparedness lead; head of cyber security", ""],
  "D2.a": ["Post-incident reviews for the last three incidents", "Head of cyber security", "Incident tickets"],
  "D2.b": ["Lessons learned action log; digital board minutes", "Head of cyber security; SIRO", ""],
  "CE-FW": ["Firewall rule base export; firewall change records", "Network manager", "Boundary firewalls; laptop firewall policy"],
  "CE-SC": ["Build standards for desktops, laptops and servers", "End-user computing manager", "A sample of desktops, laptops and servers"],
  "CE-SU": ["Software inventory; patching reports; unsupported software register", "Infrastructure manager", "Patch management console"],
  "CE-UA": ["Account procedures; MFA coverage report; password policy", "Identity and access manager", "Directory; identity provider"],
  "CE-MP": ["Anti-malware coverage report", "End-user computing manager", "Endpoint protection console"],
  "CEP-T1": ["External scan report", "Network manager", "Internet-facing hosts"],
  "CEP-T2": ["Authenticated scan report of the sampled devices", "Infrastructure manager", "Sampled devices"],
  "CEP-T3": ["Test file results for each sampled device", "End-user computing manager", "Sampled end-user devices"],
  "CEP-T4": ["MFA settings export for each cloud service in scope", "Identity and access manager", "Cloud services in scope"],
  "CEP-T5": ["Local administrator group membership of the sampled devices", "End-user computing manager", "Sampled devices"],
};

// ── Guy's and St Thomas' (RJ1), about two years ago ─────────────────────────────────────────────────────────

export const RJ1_EARLIER: DemoInspectionScript = {
  findings: {
    "A1.a": {
      rating: PA,
      observed:
        "Cyber risk is on the board assurance framework and the chief digital information officer is the named executive. The board received one cyber report in the last year, mostly DSPT status; it has not seen unsupported systems or unacknowledged NHS England alerts, and has not said how much cyber risk it will accept.",
      severity: "medium",
      recommendation: "Give the board a quarterly cyber report it can act on (unsupported systems, overdue alerts, incidents) and agree a cyber risk appetite statement.",
    },
    "A1.b": {
      rating: A,
      observed: "All the key roles are filled and named, and the IT on-call engineer and the on-call director both described the same escalation route for a ransomware alert out of hours.",
    },
    "A1.c": {
      rating: PA,
      observed:
        "Decisions are mostly taken at the right level, but four of the nine risk acceptances sampled had no review date, and one, to delay patching the pathology servers, was signed by a service manager without the authority to accept a risk of that size.",
      severity: "low",
      recommendation: "Give every risk acceptance an owner and a review date, and check delegated limits before one is signed.",
    },
    "A2.a": { rating: PA, observed: "There is a cyber risk register, reviewed every quarter, but most entries are technical (servers, firewalls) rather than about clinical services, so their impact on patients is hard to see." },
    "A2.b": {
      rating: PA,
      observed: "Internal audit covered cyber once in three years. The last penetration test was 20 months ago and three of its high findings are still open, with no owner recorded.",
      severity: "medium",
      recommendation: "Agree a yearly assurance plan for cyber and track open test findings to closure with named owners.",
    },
    "A3.a": {
      rating: NA,
      observed:
        "The IT asset register covers desktops and servers well, but the medical devices inventory is a separate spreadsheet last updated 14 months ago. Network discovery found 1,900 connected devices that are in neither, many of them on clinical networks.",
      severity: "high",
      recommendation: "Bring IT and medical device inventories together, reconcile them with network discovery every month, and give every device an owner.",
    },
    "A4.a": {
      rating: NA,
      observed:
        "There is no list of suppliers with access to trust systems or data. Eleven suppliers connect remotely for support, four of them through always-on accounts with shared passwords; none of the five contracts sampled has security terms beyond the standard NHS terms.",
      severity: "high",
      recommendation: "Build a supplier register ranked by risk, move supplier remote access onto named accounts with MFA enabled only when needed, and add security terms at renewal.",
    },
    "B1.a": { rating: A, observed: "A complete set of security policies, each with an owner and reviewed within the last two years, written clearly enough for staff to follow." },
    "B1.b": { rating: PA, observed: "Policies are largely followed, but the exceptions log has 37 open exceptions, 22 of them past their expiry date." },
    "B2.a": {
      rating: NA,
      observed: "Staff remote access uses MFA, but the remote desktop gateway used by clinicians working from home and by three suppliers accepts a password alone. Shared accounts are still used in two theatres.",
      severity: "high",
      recommendation: "Require MFA on every remote access route, suppliers included, and replace the shared theatre accounts with named ones and tap-in smartcards.",
    },
    "B2.b": { rating: PA, observed: "Trust laptops are managed and checked for compliance. Personal phones can reach email with only a PIN, and there is no check on their operating system version." },
    "B2.c": { rating: PA, observed: "Administrators have separate admin accounts. A review of privileged accounts was done last year and cut domain admins from 41 to 19; there is no schedule to repeat it." },
    "B2.d": { rating: PA, observed: "Of 20 leavers sampled, 16 accounts were disabled on their last day and four between one and six weeks later." },
    "B3.a": { rating: PA, observed: "The main clinical systems have data flow maps; most departmental systems do not, and some information asset owners did not know what data their systems hold." },
    "B3.b": { rating: A, observed: "External data flows use TLS or the HSCN, email to other NHS bodies uses NHSmail, and the old file transfer server has been replaced." },
    "B3.c": { rating: PA, observed: "Laptops and servers holding patient data are encrypted, but two imaging archives and the research file share are not." },
    "B3.d": { rating: PA, observed: "Trust phones and tablets are managed and encrypted; some community staff carry patient lists on paper and on unmanaged tablets." },
    "B3.e": { rating: A, observed: "Disks are wiped or destroyed by an accredited supplier with a certificate for each batch; all the sampled certificates were on file." },
    "B4.a": { rating: PA, observed: "New projects get a security review, but usually after the supplier is chosen. The clinical network is split from the corporate network, though not into smaller zones." },
    "B4.b": {
      rating: NA,
      observed:
        "Around 1,100 devices run Windows versions out of support, most of them medical devices (imaging modalities, lab analysers, patient monitoring gateways) whose makers do not support newer versions. They sit on the general clinical network with no extra controls.",
      severity: "high",
      recommendation: "Put unsupported medical devices in separate network segments with tight firewall rules, and record each as a risk with the maker's upgrade plan.",
    },
    "B4.c": { rating: PA, observed: "Servers are administered from jump servers, but some administrators still connect directly from their everyday laptops." },
    "B4.d": {
      rating: NA,
      observed:
        "Critical security updates take 60 days or more to reach most servers, and the last three NHS England high-severity alerts were acknowledged late. There is no vulnerability scanning inside the network.",
      severity: "critical",
      recommendation: "Patch critical and high vulnerabilities within 14 days, start authenticated scanning inside the network, and report time to patch to the digital board every month.",
    },
    "B5.a": { rating: PA, observed: "Downtime procedures exist for the electronic patient record; the three service plans sampled did not consider losing IT for longer than a day." },
    "B5.b": { rating: PA, observed: "Two data centres, but the electronic patient record and the imaging archive run from one of them only." },
    "B5.c": {
      rating: NA,
      observed:
        "Backups run every night and are copied to the second data centre, but both copies can be deleted with the same domain admin account, and no copy is offline or immutable. No full restore of a clinical system has been tested in the last two years.",
      severity: "critical",
      recommendation: "Keep at least one backup copy offline or immutable, under separate credentials, and test a full restore of a major clinical system at least once a year.",
    },
    "B6.a": { rating: PA, observed: "Staff know how to report a suspicious email and the service desk answers quickly; clinical staff said they would not report a mistake for fear of blame." },
    "B6.b": { rating: PA, observed: "Data security training completion is 88%, under the 95% expected; IT staff have no planned security training." },
    "C1.a": { rating: PA, observed: "Firewalls, the directory and the endpoint protection feed the SIEM; clinical systems and medical device networks do not." },
    "C1.b": {
      rating: NA,
      observed: "Logs are kept for 30 days only, and the infrastructure administrators who are monitored can also delete them.",
      severity: "medium",
      recommendation: "Keep security logs for at least 12 months, and limit who can change or delete them to people outside the teams being monitored.",
    },
    "C1.c": { rating: PA, observed: "Alerts come from the endpoint protection and from NHS England's CSOC feed; there are few rules of the trust's own." },
    "C1.d": { rating: PA, observed: "Alerts are looked at in working hours; overnight alerts wait for the next morning." },
    "C1.e": { rating: PA, observed: "Two analysts share monitoring with other work; neither has had training in the SIEM in use." },
    "C2.a": { rating: NA, observed: "No baseline of normal activity is kept, so unusual activity is noticed only when a rule fires." },
    "C2.b": { rating: NA, observed: "No threat hunting is done." },
    "D1.a": {
      rating: PA,
      observed: "A cyber incident response plan exists but was written for IT; it does not link to the major incident plan or say who takes clinical decisions when systems are lost.",
      severity: "high",
      recommendation: "Rewrite the plan with the emergency preparedness team so that it joins the major incident plan, with clinical decision-making and communications included.",
    },
    "D1.b": {
      rating: PA,
      observed: "There is an incident response retainer, but recovery runbooks exist for only two of the eight most important clinical systems.",
      severity: "medium",
      recommendation: "Write and test recovery runbooks for every critical clinical system, starting with the electronic patient record and pathology.",
    },
    "D1.c": {
      rating: NA,
      observed: "The cyber response plan has not been exercised in the last two years, and the last major incident exercise did not include a cyber scenario.",
      severity: "high",
      recommendation: "Run a cyber exercise at least once a year with executives and clinical leads, and follow up its actions.",
    },
    "D2.a": {
      rating: PA,
      observed: "Root causes were recorded for one of the last three incidents; the other two were closed once service was restored.",
      severity: "low",
      recommendation: "Record a root cause for every significant incident before closing it.",
    },
    "D2.b": {
      rating: PA,
      observed: "Lessons from incidents are discussed but not tracked; two actions from last year's phishing incident were never done.",
      severity: "low",
      recommendation: "Keep a lessons learned log with owners and dates, reported to the digital board.",
    },
    "CE-FW": {
      answers: "yyyyyny",
      observed: "The boundary firewalls are well configured, but 46 inbound rules have no recorded owner or reason and 12 of them are for projects that have ended.",
      severity: "medium",
      recommendation: "Review every inbound rule, remove those no longer needed, and record an owner and reason for the rest.",
    },
    "CE-SC": {
      answers: "yyyyyyyy",
      rating: NA,
      overrideReason:
        "The requirements were answered for the standard desktop and server builds, which meet them all. During the walk-round we found 9 of 12 imaging workstations on an older build with auto-run on and a shared local administrator password, outside the standard build's scope. Rated Not met until those are brought in.",
      observed: "The standard builds meet every requirement. The imaging workstations run an older build outside the standard, with auto-run enabled and a shared local administrator password.",
      severity: "medium",
      recommendation: "Bring the imaging workstations onto the standard build, or a documented equivalent, and remove the shared local administrator password.",
    },
    "CE-SU": {
      answers: "nnyn",
      observed: "Unsupported operating systems are in use on medical devices and on 60 general desktops, and are not kept apart from the rest of the network. Critical updates are not installed within 14 days.",
      severity: "critical",
      recommendation: "Replace or segregate unsupported systems, and bring critical and high updates within 14 days of release.",
    },
    "CE-UA": {
      answers: "yyynyyyyyyn",
      observed: "Accounts are well managed, but MFA is not used on the remote desktop gateway, and two internet-facing administrator consoles accept a password alone.",
      severity: "high",
      recommendation: "Turn on MFA for every internet-facing service and every administrator account.",
    },
    "CE-MP": {
      answers: "yy-",
      rating: A,
      observed: "Anti-malware (option A) is active and up to date on every device in the sample; the trust does not use application allow-listing, so option B is not answered.",
    },
    "CEP-T1": {
      rating: NA,
      devices: [14, 2],
      observed: "14 internet-facing hosts scanned. Two failed: the old patient appointment portal has a web server flaw scoring 9.8, and a firewall's management page is open to the internet.",
      severity: "high",
      recommendation: "Patch or retire the old appointment portal, and close the firewall management page to the internet.",
    },
    "CEP-T2": {
      rating: NA,
      devices: [30, 9],
      observed: "30 devices sampled across every build. Nine failed: seven were missing critical updates older than 14 days, and two ran Windows 7.",
      severity: "critical",
      recommendation: "Bring every build within 14 days on critical updates, and remove or segregate the Windows 7 devices.",
    },
    "CEP-T3": { rating: A, devices: [20, 0], observed: "On all 20 sampled devices the test files sent by email and downloaded were blocked." },
    "CEP-T4": {
      rating: NA,
      devices: [6, 2],
      observed: "Six cloud services checked. The rostering system and the staff bank app allow sign-in with a password alone.",
      severity: "high",
      recommendation: "Turn on MFA for the rostering and staff bank services, or put them behind the trust's identity provider.",
    },
    "CEP-T5": {
      rating: NA,
      devices: [20, 4],
      observed: "On four of 20 sampled devices, everyday user accounts (all in pharmacy) are local administrators.",
      severity: "medium",
      recommendation: "Take local administrator rights away from everyday accounts, and provide a managed way to install the pharmacy software.",
    },
  },
  clarify: [
    {
      code: "B4.d",
      comment: "You say critical updates take 60 days or more. Is that servers only, or desktops too? Give the figure for each.",
      answer: "Both. The patching reports for the last quarter give a median of 64 days for servers and 41 days for desktops. I have added the split to the finding.",
      revised: {
        observed:
          "Critical security updates take a median of 64 days to reach servers and 41 days to reach desktops (patching reports, last quarter), and the last three NHS England high-severity alerts were acknowledged late. There is no vulnerability scanning inside the network.",
      },
    },
    {
      code: "A3.a",
      comment: "Does the 1,900 include devices that are known but simply recorded elsewhere, such as building management systems?",
      answer: "No: the estates team's building management list was checked and is excluded. The 1,900 are devices nobody could name when we looked.",
      revised: {
        observed:
          "The IT asset register covers desktops and servers well, but the medical devices inventory is a separate spreadsheet last updated 14 months ago. Network discovery found 1,900 connected devices that are in neither and are not on the estates team's building management list, many of them on clinical networks.",
      },
    },
  ],
};

// ── Guy's and St Thomas' (RJ1), about a year later ─────────────────────────────────────────────────────────

export const RJ1_LATER: DemoInspectionScript = {
  findings: {
    "A1.a": { rating: A, observed: "The board now gets a quarterly cyber report covering unsupported systems, overdue alerts and incidents, and agreed a cyber risk appetite statement in the spring. Board members took part in this year's exercise." },
    "A1.b": { rating: A, observed: "Roles are unchanged and clear; the new head of cyber security started before the previous one left, so there was no gap." },
    "A1.c": {
      rating: PA,
      observed: "Risk acceptances now have owners, but three of the eight sampled were past their review date and had not been looked at again.",
      severity: "low",
      recommendation: "Send owners a reminder before a risk acceptance's review date and report overdue ones to the digital board.",
    },
    "A2.a": { rating: A, observed: "The risk register now describes cyber risks by the clinical services they affect, and the top risks are reviewed with the divisions every quarter." },
    "A2.b": {
      rating: PA,
      observed: "A penetration test was done this year and most findings were fixed; internal audit still has not covered cyber, so the board relies on management's own reporting.",
      severity: "medium",
      recommendation: "Ask internal audit to review the cyber improvement programme in the coming year.",
    },
    "A3.a": {
      rating: PA,
      observed: "IT and medical device inventories have been merged and are reconciled with network discovery every month. Around 300 devices are still unidentified, down from 1,900.",
      severity: "medium",
      recommendation: "Finish identifying the remaining devices and give each an owner.",
    },
    "A4.a": { rating: PA, observed: "A supplier register now ranks 140 suppliers by risk. Supplier remote access is through named accounts enabled on request; the contract terms have not yet been updated." },
    "B1.a": { rating: A, observed: "Policies are complete and current." },
    "B1.b": { rating: PA, observed: "The exceptions log has been cleaned up: 14 open exceptions, two past their expiry date." },
    "B2.a": { rating: A, observed: "MFA is now required on every remote access route, suppliers included, and the theatre shared accounts have been replaced by named smartcard logins." },
    "B2.b": { rating: PA, observed: "Personal phones reaching email now need a managed app; compliance checks on trust laptops are in place but out-of-date laptops are not blocked." },
    "B2.c": {
      rating: NA,
      observed:
        "No privileged access review has been done since the last inspection. Domain admin accounts have grown from 19 to 34, including six belonging to staff who have left the infrastructure team, two of them enabled.",
      severity: "high",
      recommendation: "Review every privileged account now, disable those not needed, and repeat the review every quarter with a named owner.",
    },
    "B2.d": { rating: PA, observed: "Of 20 leavers sampled, 18 accounts were disabled on the last day; the other two within a week." },
    "B3.a": { rating: A, observed: "Information asset owners have mapped the data in their systems, and the register is reviewed every year." },
    "B3.b": { rating: A, observed: "Unchanged: external data flows are encrypted." },
    "B3.c": { rating: PA, observed: "The imaging archives are now encrypted; the research file share is not, and is due to move to a new platform." },
    "B3.d": { rating: PA, observed: "Community staff now use managed tablets; some still print patient lists." },
    "B3.e": {
      rating: PA,
      observed: "The disposal supplier changed this year. Certificates of destruction were missing for two of the five batches sampled, though the supplier could show they were destroyed.",
      recommendation: "Check the certificates against every batch sent, and add the requirement to the new contract.",
    },
    "B4.a": { rating: PA, observed: "Security now reviews projects before suppliers are chosen. The network is still split in two zones only." },
    "B4.b": {
      rating: PA,
      observed: "Unsupported medical devices have been moved to separate network segments with restricted rules; about 400 remain on the general clinical network, each recorded as a risk.",
    },
    "B4.c": { rating: PA, observed: "Direct administration from everyday laptops has been blocked for servers but not for network devices." },
    "B4.d": {
      rating: PA,
      observed: "Authenticated scanning now covers servers and desktops. Critical updates reach servers in a median of 19 days and desktops in 11; NHS England alerts have all been acknowledged in time.",
      recommendation: "Bring server patching for critical updates within 14 days.",
    },
    "B5.a": { rating: PA, observed: "Downtime procedures now cover a week without the electronic patient record for the emergency department and theatres; other services have not been updated." },
    "B5.b": { rating: PA, observed: "The imaging archive is now replicated to the second data centre; the electronic patient record is not yet." },
    "B5.c": { rating: A, observed: "An immutable backup copy with separate credentials is in place, and a full restore of the pathology system was tested this year, in 9 hours." },
    "B6.a": { rating: A, observed: "A 'just report it' campaign has more than doubled reports of suspicious emails, and staff we spoke to said they would report a mistake." },
    "B6.b": { rating: PA, observed: "Training completion is 93%; the IT staff training plan has started but only a quarter of the team has done it." },
    "C1.a": { rating: PA, observed: "The electronic patient record now feeds the SIEM; medical device networks still do not." },
    "C1.b": { rating: PA, observed: "Logs are kept for 12 months in a store the infrastructure team cannot change; some systems still keep their own logs for 30 days only." },
    "C1.c": { rating: PA, observed: "Detection rules now cover privileged account use and remote access; none yet for the clinical systems." },
    "C1.d": {
      rating: NA,
      observed:
        "Monitoring moved to a new managed service provider this year. Since then more than 600 alerts are waiting for triage, some for over three weeks, and the trust could not say who decides which alerts become incidents.",
      severity: "medium",
      recommendation: "Agree with the provider who triages which alerts and how fast, clear the backlog, and report triage times every month.",
    },
    "C1.e": { rating: PA, observed: "The trust's two analysts have had SIEM training; the provider's analysts do not know the trust's clinical systems." },
    "C2.a": { rating: PA, observed: "Baselines are kept for sign-ins and network traffic at the boundary, and departures from them raise alerts." },
    "C2.b": { rating: NA, observed: "Still no threat hunting, though it is in next year's plan." },
    "D1.a": { rating: A, observed: "The cyber response plan has been rewritten with the emergency preparedness team and is part of the major incident plan." },
    "D1.b": {
      rating: PA,
      observed: "Recovery runbooks now exist for five of the eight most important clinical systems; two of them have been tested.",
      severity: "medium",
      recommendation: "Finish and test the runbooks for the remaining three systems.",
    },
    "D1.c": { rating: A, observed: "A full-day ransomware exercise with the executive team and clinical leads was held this year; 14 of its 17 actions are done." },
    "D2.a": {
      rating: PA,
      observed: "Root causes are recorded for major incidents, but not for the smaller ones, such as the two mailbox compromises this year.",
      severity: "low",
      recommendation: "Record a short root cause for every security incident, not only the major ones.",
    },
    "D2.b": { rating: A, observed: "Lessons learned are tracked in a log the digital board reviews every month; the phishing actions from two years ago are done." },
    "CE-FW": { answers: "yyyyyyy", observed: "The rule review was done: 51 rules removed, and every remaining inbound rule has an owner and a reason." },
    "CE-SC": { answers: "yyyyyyyy", observed: "The imaging workstations are now on the standard build; every requirement is met across the sample." },
    "CE-SU": {
      answers: "nyyy",
      observed: "Some medical devices still run unsupported software, but they are now kept in separate network segments with no internet traffic in or out. Updates are installed within 14 days on the standard builds.",
      severity: "high",
      recommendation: "Keep working with the makers to replace the unsupported devices; Cyber Essentials cannot be met while they remain in scope.",
    },
    "CE-UA": { answers: "yyyyyyyyyyy", observed: "MFA now protects every internet-facing service and administrator account; every requirement is met." },
    "CE-MP": { answers: "yy-", rating: A, observed: "Anti-malware (option A) is active and up to date across the sample; option B is not used." },
    "CEP-T1": { rating: A, devices: [16, 0], observed: "16 internet-facing hosts scanned; none failed. The old appointment portal has been retired." },
    "CEP-T2": {
      rating: NA,
      devices: [30, 3],
      observed: "30 devices sampled. Three servers were missing a critical update released 18 days earlier.",
      severity: "high",
      recommendation: "Bring critical server updates within 14 days.",
    },
    "CEP-T3": {
      rating: NA,
      devices: [20, 1],
      observed: "On one of 20 sampled devices, a laptop that had not connected for two months, the downloaded test file ran without a warning: its protection was out of date.",
      severity: "medium",
      recommendation: "Make laptops that have not checked in for 14 days update their protection before they can reach trust systems.",
    },
    "CEP-T4": { rating: A, devices: [7, 0], observed: "All seven cloud services now require MFA, the rostering and staff bank services through the trust's identity provider." },
    "CEP-T5": { rating: A, devices: [20, 0], observed: "No everyday user account was a local administrator on any sampled device; pharmacy software is now installed through the software centre." },
  },
  clarify: [
    {
      code: "C1.d",
      comment: "Is the backlog the provider's or the trust's? Please say who owns triage now, so the action has an owner.",
      answer: "The provider triages the SIEM alerts and the trust triages the endpoint alerts; the backlog is mostly the trust's endpoint alerts. The head of cyber security owns the action. Added to the finding.",
      revised: {
        observed:
          "Monitoring moved to a new managed service provider this year. Since then more than 600 alerts, mostly endpoint alerts the trust triages itself, are waiting for triage, some for over three weeks. The provider triages SIEM alerts; the head of cyber security owns triage as a whole.",
      },
    },
  ],
};

// ── London Ambulance Service (RRU), about a year ago ────────────────────────────────────────────────────────

export const RRU_INSPECTION: DemoInspectionScript = {
  findings: {
    "A1.a": { rating: A, observed: "The board receives a cyber report every quarter, including the resilience of computer-aided dispatch (CAD), and has agreed a low appetite for risks to call handling." },
    "A1.b": { rating: A, observed: "Roles are named and clear, and the control room on-call manager knows when and how to call in the cyber on-call engineer." },
    "A1.c": { rating: A, observed: "Every risk acceptance sampled was signed at the right level, with a reason and a review date." },
    "A2.a": { rating: PA, observed: "Cyber risks are recorded and reviewed, but the register does not yet say which risks threaten 999 call handling directly." },
    "A2.b": { rating: A, observed: "Internal audit reviewed cyber this year, and the yearly penetration test covered the CAD system and the vehicle network." },
    "A3.a": {
      rating: PA,
      observed: "Servers, desktops and control room equipment are in the asset register. The mobile data terminals and tablets in about 1,100 vehicles are tracked by the fleet team in a separate list that does not match the device management console.",
      severity: "medium",
      recommendation: "Bring vehicle devices into the asset register and reconcile it with the device management console every month.",
    },
    "A4.a": { rating: PA, observed: "Suppliers are ranked by risk and the CAD supplier's access is well controlled; the vehicle telematics supplier has standing remote access." },
    "B1.a": { rating: A, observed: "Policies are complete, current and written for operational staff as well as for IT." },
    "B1.b": { rating: PA, observed: "Policies are followed in the control rooms; on vehicles, crews share tablet logins at shift change." },
    "B2.a": { rating: A, observed: "MFA is used for every remote access route and for cloud services; control room staff sign in with smartcards." },
    "B2.b": { rating: PA, observed: "Vehicle devices are managed, but devices that have not connected for weeks are not flagged." },
    "B2.c": { rating: PA, observed: "Privileged accounts are separate and reviewed twice a year; CAD administrators use shared accounts within the supplier's product." },
    "B2.d": { rating: PA, observed: "Leavers' accounts are disabled promptly for staff; for bank and agency staff it takes up to two weeks." },
    "B3.a": { rating: PA, observed: "The main data flows are mapped, including to hospitals' emergency departments; the flows to the patient record sharing service are not." },
    "B3.b": { rating: A, observed: "Data to and from vehicles travels over an encrypted private mobile network." },
    "B3.c": { rating: PA, observed: "Servers and laptops are encrypted; two older models of vehicle device store the day's jobs unencrypted." },
    "B3.d": { rating: PA, observed: "Vehicle tablets are encrypted and can be wiped remotely; some crews photograph patient information on personal phones." },
    "B3.e": { rating: A, observed: "Devices from vehicles are wiped before reuse and destroyed by an accredited supplier at end of life." },
    "B4.a": { rating: PA, observed: "The control room network is kept apart from the corporate network; the vehicle network reaches corporate file shares." },
    "B4.b": { rating: PA, observed: "Standard builds are used across the estate; about 200 vehicle devices run an Android version that no longer gets updates." },
    "B4.c": { rating: PA, observed: "Servers are administered from a management network; the CAD supplier administers its system from its own site over a VPN." },
    "B4.d": {
      rating: NA,
      observed:
        "Patching in the control rooms and offices is within 14 days. Vehicle devices update only when they reach depot wifi, and 212 of 540 mobile data terminals were more than 30 days behind on critical updates.",
      severity: "high",
      recommendation: "Update vehicle devices over the mobile network, and report the devices more than 14 days behind every week.",
    },
    "B5.a": { rating: A, observed: "Plans cover losing CAD entirely: fallback to paper, then to the other control room, rehearsed every quarter." },
    "B5.b": { rating: PA, observed: "Two control rooms can each take all calls, but both rely on the same CAD database cluster." },
    "B5.c": { rating: A, observed: "Backups include an immutable copy with separate credentials, and CAD is restored in a test every six months." },
    "B6.a": { rating: A, observed: "Staff at every level report phishing and mistakes readily; the control room treats a cyber alert like any other operational alert." },
    "B6.b": { rating: PA, observed: "Training completion is 94%; crews find the online module hard to fit into shifts." },
    "C1.a": { rating: PA, observed: "Corporate systems and CAD feed the SIEM; vehicle devices and the telephony system do not." },
    "C1.b": { rating: PA, observed: "Logs are kept for a year; the SIEM administrators are also the infrastructure administrators." },
    "C1.c": { rating: PA, observed: "Alerts come from the SIEM, endpoint protection and NHS England's CSOC feed." },
    "C1.d": { rating: PA, observed: "Alerts are triaged around the clock by the control room's IT duty engineer, who has other duties." },
    "C1.e": {
      rating: NA,
      observed: "One security analyst covers monitoring, with nobody trained to stand in when they are away.",
      severity: "medium",
      recommendation: "Train at least one more person in monitoring, or buy cover from a managed service.",
    },
    "C2.a": { rating: NA, observed: "No baselines of normal activity are kept." },
    "C2.b": { rating: NA, observed: "No threat hunting is done." },
    "D1.a": { rating: A, observed: "The cyber response plan is part of the major incident plan and says how call handling continues." },
    "D1.b": { rating: A, observed: "Recovery runbooks exist and have been tested for CAD, telephony and the electronic patient care record." },
    "D1.c": { rating: A, observed: "Loss of CAD to a cyber attack was exercised this year with the control room, the executive team and NHS England." },
    "D2.a": {
      rating: PA,
      observed: "Root causes are found for operational incidents; for the cyber incidents sampled only the immediate cause was recorded.",
      severity: "low",
      recommendation: "Use the same root cause method for cyber incidents as for operational ones.",
    },
    "D2.b": { rating: A, observed: "Lessons from incidents and exercises are tracked to completion and reported to the board." },
    "CE-FW": { answers: "yyyyyyy", observed: "Every requirement is met, including firewalls on vehicle devices." },
    "CE-SC": { answers: "yyyyyyyy", observed: "Every requirement is met across the sample, vehicle devices included." },
    "CE-SU": {
      answers: "nyyn",
      observed: "About 200 vehicle devices run an unsupported Android version, and vehicle devices do not get critical updates within 14 days; the unsupported ones are on a separate network.",
      severity: "high",
      recommendation: "Replace the unsupported vehicle devices, and update the rest over the mobile network within 14 days.",
    },
    "CE-UA": { answers: "yyyyyyyyyyy", observed: "Every requirement is met; crews now have their own tablet logins from the next shift pattern." },
    "CE-MP": { answers: "yyy", observed: "Anti-malware on every device, and application allow-listing on vehicle devices and in the control rooms." },
    "CEP-T1": { rating: A, devices: [9, 0], observed: "Nine internet-facing hosts scanned; none failed." },
    "CEP-T2": {
      rating: NA,
      devices: [25, 4],
      observed: "25 devices sampled. Four vehicle devices were missing critical updates released more than 14 days earlier.",
      severity: "high",
      recommendation: "See the finding on security update management: update vehicle devices over the mobile network.",
    },
    "CEP-T3": { rating: A, devices: [18, 0], observed: "The test files were blocked on all 18 sampled end-user devices." },
    "CEP-T4": { rating: A, devices: [5, 0], observed: "All five cloud services require MFA for every user." },
    "CEP-T5": { rating: A, devices: [18, 0], observed: "No everyday account had administrator rights on the sampled devices." },
  },
  clarify: [
    {
      code: "B4.d",
      comment: "How many vehicle devices were behind, out of how many, and when did you look?",
      answer: "212 of the 540 mobile data terminals were more than 30 days behind on the day of the visit; the figure was in our notes and is now in the finding.",
      revised: {
        observed:
          "Patching in the control rooms and offices is within 14 days. Vehicle devices update only when they reach depot wifi: on the day of the visit, 212 of the 540 mobile data terminals were more than 30 days behind on critical updates.",
      },
    },
  ],
};

// ── Newcastle upon Tyne Hospitals (RTD), a few weeks ago ────────────────────────────────────────────────────

export const RTD_RECENT: DemoInspectionScript = {
  findings: {
    "A1.a": { rating: A, observed: "The board gets a cyber report every quarter, covering the electronic patient record (EPR) rollout, unsupported medical devices and overdue NHS England alerts, and has agreed a lower appetite for cyber risk to clinical systems than to research ones." },
    "A1.b": { rating: A, observed: "Roles are named and clear, including a cyber lead for the clinical research facility, and the IT on-call engineer and the on-call director described the same escalation route for a ransomware alert." },
    "A1.c": { rating: A, observed: "All ten risk acceptances sampled were signed at the right level with a reason and a review date, including two for medical devices signed by the medical director." },
    "A2.a": { rating: A, observed: "The cyber risk register describes each risk by the clinical services it affects, and the top risks are reviewed with the clinical boards every quarter." },
    "A2.b": { rating: A, observed: "Internal audit reviewed cyber governance this year, and the yearly penetration test covered the new EPR and the research data platform; all its high findings are closed." },
    "A3.a": {
      rating: PA,
      observed:
        "Clinical engineering's inventory lists about 21,000 medical devices and is reconciled with network discovery every quarter. Even so, 640 connected devices, mostly in the research laboratories and the regional pathology hub, are in neither the IT asset register nor the inventory.",
      severity: "medium",
      recommendation: "Identify the remaining devices with the research and pathology teams, give each an owner, and reconcile with network discovery every month rather than every quarter.",
    },
    "A4.a": { rating: PA, observed: "Suppliers are ranked by risk and the EPR supplier's access is well controlled; the four partner trusts in the regional pathology network reach the shared laboratory system under an agreement with no security terms." },
    "B1.a": { rating: A, observed: "Policies are complete and current, and the research governance office has a short guide to handling research data that matches them." },
    "B1.b": { rating: A, observed: "The exceptions log has 11 open exceptions, each with an owner and an expiry date, none overdue; the sampled starter and change requests followed the procedures." },
    "B2.a": {
      rating: NA,
      observed:
        "Staff remote access and cloud services use multi-factor authentication (MFA), but the remote desktop gateway set up for honorary research staff from the university accepts a password alone, and about 450 accounts can use it.",
      severity: "high",
      recommendation: "Require MFA on the research gateway, or move its users onto the trust's main remote access service, which already has it.",
    },
    "B2.b": { rating: A, observed: "Trust laptops, phones and the EPR workstations on wheels are managed, and a device that falls out of compliance loses access to email and the EPR until it is fixed." },
    "B2.c": { rating: PA, observed: "Administrators use separate admin accounts and privileged access is reviewed twice a year; the EPR's own administrator roles, held by 38 staff, are left out of the review." },
    "B2.d": { rating: PA, observed: "Leavers' accounts, honorary research contracts included, are disabled on the last day; staff who move department keep their old access, as six of the ten movers sampled had." },
    "B3.a": { rating: A, observed: "Information asset owners have mapped the data in their systems, including the flows to the university's research data platform and to the partner trusts in the pathology network." },
    "B3.b": { rating: A, observed: "External data flows use TLS or the HSCN, and research data leaves the trust only through the approved secure transfer service." },
    "B3.c": { rating: PA, observed: "Laptops, servers and the EPR database are encrypted; two research file shares holding identifiable patient data, and a store of genome sequencing results, are not." },
    "B3.d": { rating: A, observed: "Phones and tablets are managed, encrypted and can be wiped remotely; clinical photographs are taken in a managed app that saves them straight to the EPR." },
    "B3.e": { rating: A, observed: "Disks are wiped or destroyed by an accredited supplier; all six batch certificates sampled were on file, including one for devices returned by clinical engineering." },
    "B4.a": { rating: PA, observed: "Security reviewed the EPR design before the contract was signed, and the clinical network is split into zones; the research laboratories share a zone with the pathology hub's analysers." },
    "B4.b": { rating: PA, observed: "Trust desktops and servers follow the standard builds, and medical devices on unsupported Windows are kept in restricted network segments. Research laboratory workstations bought on grants are built by the research teams themselves and do not follow the standard." },
    "B4.c": { rating: A, observed: "Servers and network devices are administered only from jump servers on a separate management network, and direct connections from everyday laptops are blocked." },
    "B4.d": {
      rating: PA,
      observed:
        "Authenticated scanning covers servers and desktops, and every NHS England high-severity alert was acknowledged within 48 hours. Critical updates reach desktops in a median of 8 days but servers in 21, held back by change freezes during the EPR rollout.",
      recommendation: "Agree patching windows with the EPR programme so that critical server updates go on within 14 days.",
    },
    "B5.a": { rating: PA, observed: "Downtime procedures for the new EPR are in place on the wards already live on it; the wards due to go live next have not rehearsed them and still hold the old system's procedures." },
    "B5.b": { rating: A, observed: "The EPR, the imaging archive and the laboratory system each run from both data centres, and a failover of the EPR was tested before go-live." },
    "B5.c": {
      rating: NA,
      observed:
        "The trust's own systems are backed up with an immutable copy under separate credentials. The regional pathology network's laboratory system, which the trust hosts for itself and four partner trusts, is backed up by its supplier, Brønnum Lab Systems, to a disk in the same server room that the supplier's admin account can delete, and no restore of it has ever been tested.",
      severity: "critical",
      recommendation: "Bring the laboratory system onto the trust's immutable backup platform under separate credentials, and test a full restore of it with the pathology network.",
    },
    "B6.a": { rating: A, observed: "Staff report about 900 suspicious emails a month, and the ward staff we spoke to said they would report a mistake without fear of blame." },
    "B6.b": { rating: A, observed: "Data security training completion is 96%, and the IT and clinical engineering teams follow a planned security training path." },
    "C1.a": { rating: PA, observed: "Servers, the directory, the EPR and endpoint protection feed the SIEM; the medical device segments and the research network do not." },
    "C1.b": { rating: A, observed: "Security logs are kept for 12 months in a store the infrastructure team cannot change or delete." },
    "C1.c": { rating: A, observed: "Alerts come from the SIEM, endpoint detection and NHS England's CSOC feed, and the trust has written its own rules for EPR sign-ins and privileged account use." },
    "C1.d": { rating: PA, observed: "A managed service triages SIEM alerts around the clock; endpoint alerts raised out of hours wait for the trust's team the next morning." },
    "C1.e": { rating: PA, observed: "Three trust analysts work alongside the managed service; none has yet been trained to read the EPR's audit logs." },
    "C2.a": { rating: PA, observed: "Baselines of normal activity are kept for sign-ins and boundary traffic; there are none yet for the EPR or the clinical networks." },
    "C2.b": { rating: NA, observed: "No threat hunting is done; it is planned for when the EPR rollout is complete." },
    "D1.a": { rating: A, observed: "The cyber incident response plan is part of the major incident plan and covers the pathology network, with agreed roles for the partner trusts." },
    "D1.b": {
      rating: PA,
      observed: "There is an incident response retainer, and tested recovery runbooks for the imaging archive and the laboratory system; the runbook for the new EPR is still in draft and has not been tested.",
      severity: "medium",
      recommendation: "Finish the EPR recovery runbook with the supplier and test it before the rollout reaches the remaining sites.",
    },
    "D1.c": { rating: A, observed: "A ransomware exercise this year with the executive team and clinical leads covered a week without the EPR; 11 of its 13 actions are done." },
    "D2.a": {
      rating: PA,
      observed: "Root causes were recorded for two of the three incidents sampled; the third, a compromised research mailbox, was closed once the password was reset.",
      severity: "low",
      recommendation: "Record a root cause for every security incident, research accounts included, before closing it.",
    },
    "D2.b": {
      rating: PA,
      observed: "Lessons are logged and tracked within the trust, but the actions agreed with the pathology network partners after last winter's laboratory system outage have no owners at the partner trusts.",
      severity: "low",
      recommendation: "Agree an owner at each partner trust for the shared actions and review them at the pathology network board.",
    },
    "CE-FW": { answers: "yyyyyyy", observed: "Every requirement is met; the firewall rules for the research network were reviewed in the spring and each has an owner and a reason." },
    "CE-SC": { answers: "yyyyyyyy", observed: "Every requirement is met across the sample, the EPR workstations on wheels included; the research laboratory workstations are outside the certification scope." },
    "CE-SU": {
      answers: "nyyn",
      observed:
        "About 410 medical devices run unsupported Windows versions; they sit in restricted network segments with no internet traffic in or out, but are still in scope. Critical updates reach servers in a median of 21 days, beyond the 14 allowed.",
      severity: "high",
      recommendation: "Work with the makers to upgrade or replace the unsupported devices, and agree patching windows with the EPR programme so server updates go on within 14 days.",
    },
    "CE-UA": {
      answers: "yyynyyyyyyn",
      observed: "Accounts are well managed, but the remote desktop gateway for honorary research staff accepts a password alone, and the research laboratories' own domain has eight administrator accounts without MFA.",
      severity: "high",
      recommendation: "Turn on MFA for the research gateway and for every administrator account, the research domain's included.",
    },
    "CE-MP": {
      answers: "yy-",
      rating: A,
      observed: "Anti-malware (option A) is active and up to date on every device in the sample; the trust does not use application allow-listing, so option B is not answered.",
    },
    "CEP-T1": { rating: A, devices: [12, 0], observed: "12 internet-facing hosts scanned, the EPR patient portal included; none failed." },
    "CEP-T2": {
      rating: NA,
      devices: [30, 3],
      observed: "30 devices sampled. Three servers supporting the EPR were missing a critical update released 19 days earlier, held back by a change freeze.",
      severity: "medium",
      recommendation: "See the finding on security update management: agree patching windows so that a change freeze cannot hold critical updates beyond 14 days.",
    },
    "CEP-T3": { rating: A, devices: [20, 0], observed: "The test files sent by email and downloaded were blocked on all 20 sampled end-user devices." },
    "CEP-T4": { rating: A, devices: [8, 0], observed: "All eight cloud services in scope require MFA, through the trust's identity provider." },
    "CEP-T5": { rating: A, devices: [20, 0], observed: "No everyday account was a local administrator on any of the 20 sampled devices." },
  },
  clarify: [
    {
      code: "B5.c",
      comment: "The laboratory system belongs to the pathology network. Is backing it up the trust's job or the network's? The action needs an owner.",
      answer: "The trust's: under the network's hosting agreement the trust's infrastructure team is responsible for backing up the systems it hosts, which Zoë Ferrand, the network's digital lead, confirmed. Added to the finding.",
      revised: {
        observed:
          "The trust's own systems are backed up with an immutable copy under separate credentials. The regional pathology network's laboratory system, which the trust hosts for itself and four partner trusts and under the hosting agreement must back up, is backed up by its supplier, Brønnum Lab Systems, to a disk in the same server room that the supplier's admin account can delete, and no restore of it has ever been tested.",
      },
    },
    {
      code: "A3.a",
      comment: "Are the 640 unknown devices the trust's, or university equipment that happens to be on the trust network?",
      answer: "Both: 380 are trust devices in shared laboratories and 260 are university devices plugged into the trust network. The split is now in the finding.",
      revised: {
        observed:
          "Clinical engineering's inventory lists about 21,000 medical devices and is reconciled with network discovery every quarter. Even so, 640 connected devices, mostly in the research laboratories and the regional pathology hub, are in neither the IT asset register nor the inventory: 380 of them trust devices and 260 university equipment on the trust network.",
      },
    },
  ],
};

// ── On site today (a trust with no demo trust user) ─────────────────────────────────────────────────────────

/** In the order saved: the lead and the member, with one finding saved by each in turn; the rest not assessed yet. */
export const ON_SITE_FINDINGS: { code: string; by: "lead" | "member"; finding: DemoFinding }[] = [
  {
    code: "A1.b",
    by: "lead",
    finding: { rating: A, observed: "SIRO, Caldicott Guardian and head of cyber security all in post and clear about their parts. On-call director and IT on-call gave the same escalation route." },
  },
  {
    code: "CEP-T1",
    by: "member",
    finding: {
      rating: NA,
      devices: [11, 1],
      observed: "External scan of 11 internet-facing hosts. One fails: the VPN appliance's administration page answers from the internet (no address restriction).",
      severity: "high",
      recommendation: "Close the VPN administration page to the internet today; the network manager says it can be done this week.",
    },
  },
  {
    code: "A3.a",
    by: "lead",
    finding: { observed: "Asked for the asset register and the medical devices inventory; promised by 2pm. Network discovery report seen: about 4,000 devices." },
  },
  {
    code: "B2.a",
    by: "member",
    finding: {
      rating: NA,
      observed: "Staff VPN has MFA. The supplier remote support portal used by the imaging and pathology suppliers accepts a password alone, with accounts always enabled.",
      severity: "high",
      recommendation: "Put supplier access behind MFA and enable each supplier account only when a support call needs it.",
    },
  },
  {
    code: "CE-UA",
    by: "member",
    finding: { answers: "yyy-y------", observed: "Account procedures seen and followed in the sample of 10 starters. Still to check: MFA coverage report and admin account separation." },
  },
  {
    code: "A1.a",
    by: "lead",
    finding: {
      rating: PA,
      observed: "Cyber is on the board assurance framework and the board had two cyber reports this year, both DSPT status only. No risk appetite for cyber.",
      severity: "medium",
      recommendation: "Quarterly cyber report to the board it can act on; agree a cyber risk appetite.",
    },
  },
  {
    code: "B5.c",
    by: "member",
    finding: { observed: "Backups nightly to a second site, plus an immutable cloud copy with separate credentials (console seen)." },
  },
  {
    code: "B4.d",
    by: "member",
    finding: { rating: PA, observed: "Critical updates reach desktops in about 10 days and servers in about 25 (patching console, last 3 months). All NHS England high-severity alerts acknowledged within 48 hours." },
  },
  {
    code: "B5.c",
    by: "lead",
    finding: {
      rating: PA,
      observed:
        "Backups nightly to a second site, plus an immutable cloud copy with separate credentials (console seen).\n\nRestore tests: files and single servers restored every month, but no full restore of a clinical system has ever been tested; the backup administrator estimates four days for the patient record.",
      recommendation: "Test a full restore of the patient record system and record how long it takes.",
    },
  },
  {
    code: "CE-FW",
    by: "member",
    finding: { answers: "yyyyyyy", observed: "Rule base reviewed with the network manager: every inbound rule has an owner and a reason; last clean-up three months ago." },
  },
  {
    code: "D1.a",
    by: "lead",
    finding: {
      rating: PA,
      observed: "Cyber incident response plan last reviewed three years ago; it names people who have left and does not link to the major incident plan.",
      severity: "high",
      recommendation: "Update the plan with the emergency preparedness lead and join it to the major incident plan.",
    },
  },
];
