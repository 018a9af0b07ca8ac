"""Imports run as jobs in the worker: the upload is checked and stored, a job reads and saves it,
and the person follows its progress and reads its problems or its result on the job's page."""
