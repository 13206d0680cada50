package handlers

import (
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"

	"campaigntrack/private"
)

// ctxUpload is the context key of the signature upload's file.
const ctxUpload = "upload"

// Limits on the parts of a signature upload beside its file: the form has
// one small field (_csrf), so these only stop a body of many or large
// fields from filling memory.
const (
	uploadMaxParts      = 16
	uploadMaxFieldBytes = 64 << 10 // all the fields together
)

// upload is the file of a signature upload, in a private temporary file
// (see private.TempFile: 0600, no name on disk), read back from the start.
type upload struct {
	name  string // as the browser sent it
	file  *os.File
	size  int64
	taken bool
}

// take hands the file over to whoever will close it (the import).
func (u *upload) take() *os.File {
	u.taken = true
	return u.file
}

// release closes the file unless it was taken.
func (u *upload) release() {
	if u.file != nil && !u.taken {
		private.Discard(u.file)
	}
}

// readUpload reads a multipart body as it arrives, with a reader of its
// own rather than Request.ParseMultipartForm: that one keeps what it
// spills in os.TempDir under multipart-* names, which nothing removes
// when a middleware has replaced the request (scs does), so every large
// upload left the signers' data behind; and it meant a second copy for the
// import. Here the one file part named "file" goes straight into a private
// temporary file, the small fields into the request's form, where the CSRF
// check and FormValue find them, and other file parts are skipped.
func readUpload(r *http.Request) (*upload, error) {
	mr, err := r.MultipartReader()
	if errors.Is(err, http.ErrNotMultipart) {
		r.MultipartForm = nil // MultipartReader marked it taken; ParseForm may read it
	}
	if err != nil {
		return nil, err
	}
	up := &upload{}
	fields := url.Values{}
	budget := int64(uploadMaxFieldBytes)
	for n := 0; ; n++ {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err == nil && n >= uploadMaxParts {
			err = multipart.ErrMessageTooLarge
		}
		if err == nil {
			err = up.readPart(p, fields, &budget)
		}
		if err != nil {
			up.release()
			return nil, err
		}
	}
	setForm(r, fields)
	return up, nil
}

// readPart reads one part: the file into the upload, a field into fields.
func (u *upload) readPart(p *multipart.Part, fields url.Values, budget *int64) error {
	defer p.Close()
	switch {
	case p.FileName() != "" && p.FormName() == "file" && u.file == nil:
		return u.save(p)
	case p.FileName() != "":
		_, err := io.Copy(io.Discard, p)
		return err
	}
	b, err := io.ReadAll(io.LimitReader(p, *budget+1))
	if err != nil {
		return err
	}
	if *budget -= int64(len(b)); *budget < 0 {
		return multipart.ErrMessageTooLarge
	}
	fields.Add(p.FormName(), string(b))
	return nil
}

// save copies the file part into a private temporary file.
func (u *upload) save(p *multipart.Part) error {
	f, err := private.TempFile("upload-*.csv")
	if err != nil {
		return err
	}
	u.file, u.name = f, p.FileName()
	if u.size, err = io.Copy(f, p); err != nil {
		return err
	}
	_, err = f.Seek(0, io.SeekStart)
	return err
}

// setForm makes the fields the request's form, as ParseMultipartForm
// would (the body's values first, then the query's), so that nothing
// reads the body again: a MultipartForm with no files holds nothing to
// remove.
func setForm(r *http.Request, fields url.Values) {
	form := url.Values{}
	for k, v := range fields {
		form[k] = append(form[k], v...)
	}
	for k, v := range r.URL.Query() {
		form[k] = append(form[k], v...)
	}
	r.PostForm, r.Form = fields, form
	r.MultipartForm = &multipart.Form{Value: fields}
}
