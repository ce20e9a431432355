//! Attachments (附件): scanned letters, assignment letters, written replies, verification
//! reports. A file is taken by what it is, not by what its name says: its first bytes must be
//! those of a type the ledger keeps, and agree with its name's extension. Its SHA-256 is shown,
//! so a paper copy can be checked against the stored one.

use crate::{FieldError, labelled_enum};

/// The largest file kept (a scanned 100-page letter is far below this).
pub const MAX_BYTES: u64 = 50 * 1024 * 1024;
/// The largest file a reporter sends on the portal, and how many a report may carry.
pub const PORTAL_MAX_BYTES: u64 = 20 * 1024 * 1024;
pub const PORTAL_MAX_FILES: usize = 10;
/// Bytes enough to tell the types apart.
pub const SNIFF_BYTES: usize = 16;

labelled_enum!(
    /// The types the ledger keeps.
    FileKind {
        Pdf = ("pdf", "PDF", "PDF"),
        Jpeg = ("jpeg", "JPEG 图片", "JPEG image"),
        Png = ("png", "PNG 图片", "PNG image"),
        Ofd = ("ofd", "OFD 版式文件", "OFD document"),
        Docx = ("docx", "Word 文档", "Word document"),
        Xlsx = ("xlsx", "Excel 工作簿", "Excel workbook"),
        Doc = ("doc", "Word 97-2003 文档", "Word 97-2003 document"),
        Xls = ("xls", "Excel 97-2003 工作簿", "Excel 97-2003 workbook"),
        Txt = ("txt", "文本", "Text"),
    }
);

impl FileKind {
    /// The media type it is sent with.
    pub const fn media_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
            FileKind::Ofd => "application/ofd",
            FileKind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Doc => "application/msword",
            FileKind::Xls => "application/vnd.ms-excel",
            FileKind::Txt => "text/plain; charset=utf-8",
        }
    }

    /// Shown in the page rather than downloaded (in a sandbox).
    pub const fn previewable(self) -> bool {
        matches!(self, FileKind::Pdf | FileKind::Jpeg | FileKind::Png)
    }

    fn extensions(self) -> &'static [&'static str] {
        match self {
            FileKind::Pdf => &["pdf"],
            FileKind::Jpeg => &["jpg", "jpeg"],
            FileKind::Png => &["png"],
            FileKind::Ofd => &["ofd"],
            FileKind::Docx => &["docx"],
            FileKind::Xlsx => &["xlsx"],
            FileKind::Doc => &["doc"],
            FileKind::Xls => &["xls"],
            FileKind::Txt => &["txt"],
        }
    }
}

labelled_enum!(
    /// Which record of a lead a file belongs to.
    RecordKind {
        Lead = ("lead", "线索", "The lead"),
        Step = ("step", "办理步骤", "A step"),
        Review = ("review", "复审复核", "Its review"),
        Rectification = ("rectification", "整改", "Its rectification"),
    }
);

/// The record of a lead a file is attached to: the lead itself, or one of its steps, reviews or
/// rectifications (whoever may read the lead reads them all, so a file is as visible as its lead).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachedTo {
    Lead,
    Step(i64),
    Review(i64),
    Rectification(i64),
}

impl AttachedTo {
    pub const fn kind(self) -> RecordKind {
        match self {
            AttachedTo::Lead => RecordKind::Lead,
            AttachedTo::Step(_) => RecordKind::Step,
            AttachedTo::Review(_) => RecordKind::Review,
            AttachedTo::Rectification(_) => RecordKind::Rectification,
        }
    }

    pub const fn id(self) -> Option<i64> {
        match self {
            AttachedTo::Lead => None,
            AttachedTo::Step(i) | AttachedTo::Review(i) | AttachedTo::Rectification(i) => Some(i),
        }
    }

    /// From the stored columns (step, review, rectification), at most one of which is set.
    pub fn from_columns(step: Option<i64>, review: Option<i64>, rectification: Option<i64>) -> Option<Self> {
        match (step, review, rectification) {
            (None, None, None) => Some(AttachedTo::Lead),
            (Some(s), None, None) => Some(AttachedTo::Step(s)),
            (None, Some(r), None) => Some(AttachedTo::Review(r)),
            (None, None, Some(x)) => Some(AttachedTo::Rectification(x)),
            _ => None,
        }
    }

    /// The columns it is kept in: (step, review, rectification).
    pub const fn columns(self) -> (Option<i64>, Option<i64>, Option<i64>) {
        match self {
            AttachedTo::Lead => (None, None, None),
            AttachedTo::Step(s) => (Some(s), None, None),
            AttachedTo::Review(r) => (None, Some(r), None),
            AttachedTo::Rectification(x) => (None, None, Some(x)),
        }
    }

    /// "办理步骤 #12" / "A step #12".
    pub fn label(self, english: bool) -> String {
        match self.id() {
            Some(id) => format!("{} #{id}", self.kind().label(english)),
            None => self.kind().label(english).to_owned(),
        }
    }
}

const ZIP: &[u8] = b"PK\x03\x04";
const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The kind a file is, from its name and first bytes; refused when they disagree or the type is
/// not one the ledger keeps. Zip and OLE containers hold several types: the name tells which.
pub fn sniff(name: &str, head: &[u8]) -> Result<FileKind, FieldError> {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let claimed = FileKind::ALL.iter().copied().find(|k| k.extensions().contains(&ext.as_str())).ok_or_else(|| {
        FieldError::new(
            "file",
            "type_not_kept",
            "只能上传 PDF、JPEG、PNG、OFD、Word、Excel 或文本文件。",
            "Only PDF, JPEG, PNG, OFD, Word, Excel or text files are kept.",
        )
    })?;
    let fits = match claimed {
        FileKind::Pdf => head.starts_with(b"%PDF-"),
        FileKind::Jpeg => head.starts_with(&[0xFF, 0xD8, 0xFF]),
        FileKind::Png => head.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]),
        FileKind::Ofd | FileKind::Docx | FileKind::Xlsx => head.starts_with(ZIP),
        FileKind::Doc | FileKind::Xls => head.starts_with(OLE),
        // Text: no NUL and no known binary signature in what was seen (UTF-8 is checked whole
        // as it streams in).
        FileKind::Txt => {
            !head.contains(&0)
                && ![&b"%PDF-"[..], &[0xFF, 0xD8, 0xFF], b"\x89PNG", ZIP, OLE].iter().any(|m| head.starts_with(m))
        }
    };
    if fits {
        Ok(claimed)
    } else {
        Err(FieldError::new(
            "file",
            "content_mismatch",
            format!("文件内容不是{}，与文件名不符。", claimed.zh()),
            format!("The file's content is not {}, as its name says.", claimed.en()),
        ))
    }
}

/// A file name as kept: its last path part, without control characters, at most 120 characters.
pub fn clean_name(name: &str) -> Result<String, FieldError> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base.chars().filter(|c| !c.is_control()).take(120).collect();
    let clean = clean.trim().to_owned();
    if clean.is_empty() || clean.starts_with('.') && !clean[1..].contains('.') {
        return Err(FieldError::required("file"));
    }
    Ok(clean)
}

/// Refuses a file past the size kept.
pub fn within_size(bytes: u64) -> Result<(), FieldError> {
    within(bytes, MAX_BYTES)
}

/// Refuses a file past `max` bytes, or empty.
pub fn within(bytes: u64, max: u64) -> Result<(), FieldError> {
    if bytes > max {
        Err(FieldError::new(
            "file",
            "too_large",
            format!("文件不能超过{} MB。", max / 1024 / 1024),
            format!("A file may be at most {} MB.", max / 1024 / 1024),
        ))
    } else if bytes == 0 {
        Err(FieldError::new("file", "empty", "文件是空的。", "The file is empty."))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_what_its_bytes_say_and_its_name_agrees() {
        assert_eq!(sniff("举报信.pdf", b"%PDF-1.7\n..."), Ok(FileKind::Pdf));
        assert_eq!(sniff("scan.JPG", &[0xFF, 0xD8, 0xFF, 0xE0]), Ok(FileKind::Jpeg));
        assert_eq!(sniff("a.png", b"\x89PNG\r\n\x1a\n...."), Ok(FileKind::Png));
        assert_eq!(sniff("核查报告.docx", b"PK\x03\x04...."), Ok(FileKind::Docx));
        assert_eq!(sniff("old.doc", OLE), Ok(FileKind::Doc));
        assert_eq!(sniff("说明.txt", "情况说明".as_bytes()), Ok(FileKind::Txt));
        assert_eq!(sniff("fake.pdf", b"MZ\x90\x00").unwrap_err().code, "content_mismatch", "an executable named .pdf");
        assert_eq!(sniff("page.txt", b"%PDF-1.4").unwrap_err().code, "content_mismatch");
        assert_eq!(sniff("x.html", b"<html>").unwrap_err().code, "type_not_kept");
        assert_eq!(sniff("noext", b"%PDF-").unwrap_err().code, "type_not_kept");
        assert!(!FileKind::Docx.previewable() && FileKind::Pdf.previewable());
    }

    #[test]
    fn names_lose_their_paths_and_sizes_are_capped() {
        assert_eq!(clean_name("C:\\Users\\x\\举报信.pdf").unwrap(), "举报信.pdf");
        assert_eq!(clean_name("../../etc/passwd.txt").unwrap(), "passwd.txt");
        assert_eq!(clean_name("a\u{0}b\r\n.pdf").unwrap(), "ab.pdf");
        assert!(clean_name("").is_err() && clean_name("dir/").is_err());
        assert!(within_size(MAX_BYTES).is_ok());
        assert_eq!(within_size(MAX_BYTES + 1).unwrap_err().code, "too_large");
        assert_eq!(within_size(0).unwrap_err().code, "empty");
        assert_eq!(within(PORTAL_MAX_BYTES + 1, PORTAL_MAX_BYTES).unwrap_err().code, "too_large");
    }

    #[test]
    fn a_file_belongs_to_one_record_of_its_lead() {
        for a in [AttachedTo::Lead, AttachedTo::Step(3), AttachedTo::Review(4), AttachedTo::Rectification(5)] {
            let (s, r, x) = a.columns();
            assert_eq!(AttachedTo::from_columns(s, r, x), Some(a));
        }
        assert_eq!(AttachedTo::from_columns(Some(1), Some(2), None), None, "two records at once is a fault");
        assert_eq!(AttachedTo::Step(12).label(false), "办理步骤 #12");
        assert_eq!(AttachedTo::Lead.label(true), "The lead");
        assert_eq!(AttachedTo::Review(7).id(), Some(7));
    }
}
