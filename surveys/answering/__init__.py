"""The respondents' path: a personal or public link opens a questionnaire, and the
answers sent back are stored once, with nothing tying them to the respondent.

lookup (what a link opens) → form (the questionnaire's fields) → page (what is shown)
→ store (the one transaction of a submission); views tie them to the URLs of urls;
traces erases what a submission leaves on its invitation.
"""
