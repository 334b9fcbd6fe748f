.class public Lorg/hypercompat/corpus/dex_bad_checksum/MainActivity;
.super Landroid/app/Activity;
.source "MainActivity.java"


# direct methods
.method public constructor <init>()V
    .registers 1

    invoke-direct {p0}, Landroid/app/Activity;-><init>()V

    return-void
.end method


# virtual methods
.method protected onCreate(Landroid/os/Bundle;)V
    .registers 4
    .param p1, "savedInstanceState"    # Landroid/os/Bundle;

    invoke-super {p0, p1}, Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V

    new-instance v0, Landroid/widget/TextView;

    invoke-direct {v0, p0}, Landroid/widget/TextView;-><init>(Landroid/content/Context;)V

    # Greeter lives in classes2.dex, whose checksum is wrong: the runtime refuses that file.
    invoke-static {}, Lorg/hypercompat/corpus/dex_bad_checksum/util/Greeter;->greeting()Ljava/lang/String;

    move-result-object v1

    invoke-virtual {v0, v1}, Landroid/widget/TextView;->setText(Ljava/lang/CharSequence;)V

    invoke-virtual {p0, v0}, Lorg/hypercompat/corpus/dex_bad_checksum/MainActivity;->setContentView(Landroid/view/View;)V

    return-void
.end method
