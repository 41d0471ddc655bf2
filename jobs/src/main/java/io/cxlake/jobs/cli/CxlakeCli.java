package io.cxlake.jobs.cli; public class CxlakeCli { public static void main(String[] a){} }
