"""Load the demo councils, staff, case records and requests. Safe to run again and again."""

from datetime import timedelta
from itertools import cycle

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.functional import cached_property

from fixtures import demo
from requests_app.models import (
    CaseRecord,
    Council,
    InformationRequest,
    Membership,
    ParentalResponsibility,
    Requester,
    RequestState,
    SensitiveDetail,
    Team,
    User,
)
from requests_app.services import closing, decisions, disclosure, documents, intake, packs
from requests_app.services.base import ActionRefused


class Command(BaseCommand):
    help = "Load (or refresh) the demo data for the four councils and print the demo sign-ins."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Do not print the sign-ins.")

    def handle(self, *args, quiet=False, **options):
        # The demo requests are walked through the services, which notify people by email;
        # those emails are about demo data, so they are kept rather than printed or sent.
        with override_settings(
            MAILERS={"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
        ):
            self._load()
        if not quiet:
            self._print_sign_ins()

    @transaction.atomic
    def _load(self):
        for slug, name, prefix, system, sar in demo.COUNCILS:
            council, _ = Council.objects.update_or_create(
                slug=slug,
                defaults={"name": name, "reference_prefix": prefix, "records_system": system,
                          "sar_contact": sar},
            )
            teams = self._teams(council)
            users = self._staff(council, teams)
            cases = self._cases(council, teams, users)
            requesters = self._requesters(council)
            self._requests(council, users, cases, requesters)
        self._superuser()

    def _teams(self, council):
        teams = {}
        for name, kind, locality, exists in demo.TEAMS[council.slug]:
            team, _ = Team.objects.update_or_create(
                council=council, name=name,
                defaults={"kind": kind, "locality": locality, "exists": exists},
            )
            if team.group_id is None:
                team.group = Group.objects.create(name=f"team:{council.slug}:{team.pk}")
                team.save(update_fields=["group"])
            teams[name] = team
        return teams

    def _staff(self, council, teams):
        users = {}
        for username, first, last, title, memberships in demo.STAFF[council.slug]:
            user, created = User.objects.update_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last, "job_title": title,
                          "council": council,
                          "email": f"{username}@{council.slug}.example.gov.uk"},
            )
            if created or not user.has_usable_password():
                user.password = self.password_hash
                user.save(update_fields=["password"])
            for team_name, role in memberships:
                team = teams[team_name]
                Membership.objects.get_or_create(user=user, team=team, role=role)
                if team.group_id:
                    user.groups.add(team.group)
                if role == "csm" and team.csm_id != user.pk:
                    team.csm = user
                    team.save(update_fields=["csm"])
                if role == "team_manager" and team.manager_id != user.pk:
                    team.manager = user
                    team.save(update_fields=["manager"])
            users[username] = user
        # A defunct team keeps the managers it had when it closed.
        return users

    def _cases(self, council, teams, users):
        cases = {}
        first_names = cycle(demo.FIRST_NAMES)
        last_names = cycle(demo.LAST_NAMES[(len(council.slug) % 5):] + demo.LAST_NAMES)
        rows = demo.scenarios(council.slug)
        ordinary = 22 - len(rows)
        sw_teams = [t for t in teams.values() if t.kind == "social_work" and t.exists]
        for i in range(ordinary):
            team = sw_teams[i % len(sw_teams)]
            if i % 3 == 0:
                rows.append(dict(label=f"ordinary_{i}", is_open=True, team=team.name,
                                 locality=team.locality))
            else:
                rows.append(dict(label=f"ordinary_{i}", closed=demo.TODAY - timedelta(days=90 * i),
                                 last_team=team.name, locality=team.locality))
        for n, row in enumerate(rows, start=1):
            dob, opened = demo.case_dates(n, row)
            reference = f"{council.reference_prefix[:2]}{100000 + n * 7919 % 900000}"
            worker = users.get(row.get("worker", ""))
            team = teams.get(row.get("team", ""))
            last_team = teams.get(row.get("last_team", "")) or team
            case, _ = CaseRecord.objects.update_or_create(
                council=council, reference=reference,
                defaults=dict(
                    first_name=next(first_names), last_name=next(last_names),
                    date_of_birth=dob, locality=row["locality"],
                    is_open=row.get("is_open", False), opened_on=opened,
                    closed_on=row.get("closed"),
                    has_cp_history=row.get("cp", False),
                    allocated_worker=worker if row.get("is_open") else None,
                    allocated_team=team if row.get("is_open") else None,
                    last_team=last_team,
                    on_electronic=row.get("electronic", True), on_paper=row.get("paper", False),
                    on_microfilm=row.get("microfilm", False),
                    mash_enquiry_only=row.get("mash_only", False),
                    care_order=row.get("care_order", False), in_care=row.get("in_care", False),
                    adopted=row.get("adopted", False),
                    disclosure_restrictions=row.get("restrictions", ""),
                    family_wishes=row.get("family_wishes", ""),
                ),
            )
            if not case.parental_responsibility.exists():
                ParentalResponsibility.objects.create(
                    case_record=case, name=f"Jo {case.last_name}", relationship="Mother")
                ParentalResponsibility.objects.create(
                    case_record=case, name=f"Chris {case.last_name}", relationship="Father")
            for kind, value in row.get("sensitive", []):
                SensitiveDetail.objects.get_or_create(case_record=case, kind=kind, value=value)
            cases[row["label"]] = case
        return cases

    def _requesters(self, council):
        found = []
        for name, org, agency, email, secure, identity in demo.REQUESTERS[council.slug]:
            requester, _ = Requester.objects.update_or_create(
                council=council, name=name, organisation=org,
                defaults={"agency_type": agency, "email": email, "secure_email": secure,
                          "identity_evidence": identity},
            )
            found.append(requester)
        return found

    def _requests(self, council, users, cases, requesters):
        """Demo requests are made the way staff make them: through the services."""
        if InformationRequest.objects.filter(council=council).exists():
            return  # requests are history: never recreated or overwritten
        prefix = {"nottinghamshire": "notts", "devon": "devon", "camden": "camden",
                  "brighton_hove": "bh"}[council.slug]
        logger = users[f"{prefix}.scimt"]
        now = timezone.now()
        for req_index, label, rtype, state, asked, days_ago in demo.REQUESTS[council.slug]:
            # DEVON-5: the Safer Recruitment Team logs DBS requests itself.
            logger = users[f"{prefix}.saferrec"] if rtype == "dbs" else users[f"{prefix}.scimt"]
            request = intake.log_request(
                logger, requester=requesters[req_index], subjects=[cases[label]],
                received_at=now - timedelta(days=days_ago), channel="secure_email",
                request_type=rtype, information_sought=asked, consent="obtained",
                consent_evidence="Signed consent form attached to the request email.",
                lawful_basis="Children Act 1989 s.17 and s.47; UK GDPR Art 6(1)(e)",
                necessity_note="Only the dates and outcomes asked for.",
                working_with_subject=True, specific_information=True, identity_verified=True,
                parents_informed="informed", family_wishes_acknowledged=True,
                subject_informed=True, criminal_investigation=rtype == "police_investigation",
                childrens_guardian_appointed=rtype == "cafcass_public_law",
            )
            try:
                self._walk(request, state, users, prefix)
                if state == RequestState.WITH_WORKER:
                    self._documents(request, users, prefix)
            except ActionRefused as refused:
                self.stderr.write(f"{request.reference} stopped before '{state}': "
                                  + "; ".join(refused.problems))

    def _walk(self, request, target, users, prefix):
        """Take a logged request along its council's path until it reaches `target`."""
        logger = request.created_by
        if target == RequestState.RECEIVED:
            return
        request = intake.triage(request, logger)
        for _ in range(8):
            request.refresh_from_db()
            if request.state == target:
                return
            holder = request.routed_to or self._member(request.routed_team)
            if request.state == RequestState.AWAITING_DECISION:
                if target == RequestState.REFUSED:
                    decisions.refuse(request, holder, reasons="Not proportionate: the request "
                                     "asks for the whole file.", requester_informed=True)
                else:
                    decisions.approve(request, holder, reasons="Specific, proportionate and "
                                      "with consent.")
            elif request.state == RequestState.AWAITING_ALLOCATION:
                worker = users[f"{prefix}.sw"]
                decisions.allocate(request, holder, worker=worker)
            elif request.state == RequestState.WITH_WORKER:
                worker = request.allocated_worker or holder
                if target == RequestState.REFUSED:
                    decisions.decline(request, worker, reasons="Not necessary for the stated "
                                      "purpose.", requester_informed=True)
                    continue
                if not request.decisions.exists():
                    decisions.record_decision(request, worker, reasons="Necessary and "
                                              "proportionate; consent given.")
                if target == RequestState.WITH_WORKER:
                    return
                disclosure.disclose(request, worker, what_was_provided="Dates of involvement "
                                    "and the outcome of the last assessment", method="secure_email",
                                    provided_to=request.requester.secure_email,
                                    identity_reverified=True)
            elif request.state == RequestState.REFERRED_OUT:
                # The team the referral went to takes it on (ALL-4, NOTTS-3 …).
                closing.accept_referral(request, self._member(request.referred_team),
                                        note="Taken on under our own procedure.")
            elif request.state in (RequestState.DISCLOSED, RequestState.REFUSED):
                closer = request.allocated_worker or request.routed_to or logger
                closing.close(request, closer, note="Nothing further needed.")
            else:
                return

    def _documents(self, request, users, prefix):
        """A chronology and a third-party letter to redact; business support asked for the
        pack where the council's business support sends (not Camden: CAMDEN-5)."""
        from django.core.files.uploadedfile import SimpleUploadedFile
        from weasyprint import HTML

        request.refresh_from_db()
        worker = (request.allocated_worker or request.routed_to
                  or self._member(request.routed_team))
        case = request.subjects.first()
        details = {d.kind: d.value for d in case.sensitive_details.all()}
        facts = {
            "subject": case.name, "dob": f"{case.date_of_birth:%d/%m/%Y}",
            "placement": details.get("placement_address", "12 Oak Road, Exeter EX1 2AB"),
            "third_party": details.get("third_party", "Dr Helen Marsh"),
        }
        documents.add_text_record(request, worker, title="Chronology, January to April 2026",
                                  text=demo.DEMO_CHRONOLOGY.format(**facts))
        pdf = HTML(string=demo.DEMO_LETTER.format(**facts)).write_pdf()
        documents.upload_document(
            request, worker, title="GP letter, March 2026",
            upload=SimpleUploadedFile("letter.pdf", pdf), is_third_party=True,
            author_name=facts["third_party"], author_organisation="Local GP surgery",
            author_consent="requested",
        )
        if request.decisions.filter(about="sharing").exists():
            return  # Nottinghamshire: the CSM's approval; hard copies come after disclosure
        decisions.record_decision(request, worker, reasons="Necessary and proportionate; "
                                  "consent given.")
        if request.council.slug != "camden":
            packs.ask_for_pack(request, worker, instructions="The chronology and the GP letter "
                               "once the GP agrees.")

    @cached_property
    def password_hash(self):
        """One hash for every demo user: the demo password is published anyway, and hashing
        it 50 times costs most of a minute of PBKDF2, which the deployment rehearsal in
        scripts/test would pay on every run."""
        return make_password(demo.DEMO_PASSWORD)

    @staticmethod
    def _member(team):
        return team.members.first() if team else None

    def _superuser(self):
        user, created = User.objects.get_or_create(
            username="admin", defaults={"first_name": "Platform", "last_name": "Administrator",
                                        "is_staff": True, "is_superuser": True})
        if created:
            user.password = self.password_hash
            user.save(update_fields=["password"])

    def _print_sign_ins(self):
        self.stdout.write(self.style.SUCCESS(
            f"Demo data loaded. Sign in at {settings.SITE_URL}/"))
        self.stdout.write(f"Every demo user's password: {demo.DEMO_PASSWORD}")
        for slug, name, *_ in demo.COUNCILS:
            self.stdout.write(f"\n{name}")
            for username, first, last, title, _m in demo.STAFF[slug]:
                self.stdout.write(f"  {username:<18} {first} {last} – {title}")
        self.stdout.write("\nPlatform administrator (Django admin only): admin")
